//! The webhook panel through a real store file: what a designer sees as they fill the form in,
//! and each bad input shown by its field with nothing lost.

use webhook_block::model::{BlockStatus, Mapping};
use webhook_block::{ChannelKind, Environment, WebhookForm, WebhookType};
use webhook_editor::canvas::{self, BlockKind};
use webhook_editor::channels::{self, AccountInput};
use webhook_editor::panel::{self, CopyTarget, FieldRef, VariableSource, WebhookPanel};
use webhook_editor::{dashboard, templates::TemplateId};
use webhook_store::Store;

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    bot: String,
    block: String,
}

/// A new bot with one webhook block and nothing connected.
fn fresh() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let bot = dashboard::create(&mut store, "Sign-ups").unwrap().to_string();
    let sequence = canvas::view(&store, &bot).unwrap().flows[0].sequences[0].id.clone();
    let block = canvas::add_block(&mut store, &bot, &sequence, BlockKind::Webhook)
        .unwrap()
        .id;
    Fixture {
        _dir: dir,
        store,
        bot,
        block,
    }
}

/// An autosave of `form` based on the form stored now (what an open panel last saw).
fn save(f: &mut Fixture, form: WebhookForm) -> webhook_editor::Result<WebhookPanel> {
    let base = panel::view(&f.store, &f.bot, &f.block)?.form;
    panel::edit(&mut f.store, &f.bot, &f.block, &base, form)
}

fn connect_whatsapp(f: &mut Fixture) {
    channels::connect_account(
        &mut f.store,
        &f.bot,
        ChannelKind::Whatsapp,
        AccountInput {
            name: "Support line".into(),
            alias: String::new(),
            phone_number: "+1 415 555 0100".into(),
        },
    )
    .unwrap();
}

/// The block's form filled in with WhatsApp (connected), these rows and this contact: ready to submit.
fn complete(f: &Fixture, mappings: Vec<Mapping>, contact: &str) -> WebhookForm {
    let mut form = panel::view(&f.store, &f.bot, &f.block).unwrap().form;
    form.webhook_type = WebhookType::Conversational;
    form.channel = Some(ChannelKind::Whatsapp);
    form.account = Some("support-line".into());
    form.mappings = mappings;
    form.contact_reference_id = contact.into();
    form
}

fn row(data: &str, variable: &str) -> Mapping {
    Mapping {
        data: data.into(),
        set_variable: variable.into(),
        optional: false,
    }
}

#[test]
fn no_channel_warns_and_disables_submit_then_a_connected_channel_clears_it_and_keeps_the_form() {
    let mut f = fresh();
    let view = panel::view(&f.store, &f.bot, &f.block).unwrap();
    assert!(view.no_connected_channel);
    assert!(!view.submit.enabled);
    assert!(view.submit.reason.unwrap().contains("Connect a channel"));
    assert!(
        view.channels.is_empty(),
        "Select Channel lists only active integrations"
    );

    let mut form = view.form.clone();
    form.mappings.push(row("data.name", "first_name"));
    save(&mut f, form.clone()).unwrap();

    connect_whatsapp(&mut f);
    let view = panel::view(&f.store, &f.bot, &f.block).unwrap();
    assert!(!view.no_connected_channel, "the warning is gone");
    assert_eq!(view.form, form, "nothing typed was lost");
    assert_eq!(view.channels[0].label, "WhatsApp");
    assert_eq!(view.channels[0].accounts[0].label, "Support line (+14155550100)");
}

#[test]
fn a_complete_form_submits_and_the_new_variable_is_created() {
    let mut f = fresh();
    connect_whatsapp(&mut f);
    let rows = vec![row("data.name", "first_name"), row("data.phone", "customer_phone")];
    let form = complete(&f, rows, "+1 415-555-0123");
    let view = save(&mut f, form).unwrap();
    assert_eq!(
        view.contact.normalised.as_deref(),
        Some("+14155550123"),
        "the normal form is offered"
    );
    assert!(view.contact.offers.contains(&"{customer_phone}".to_owned()));
    assert!(view.problems.is_empty(), "{:?}", view.problems);
    assert!(view.submit.enabled);
    assert!(
        view.variables
            .iter()
            .any(|v| v.name == "first_name" && v.source == VariableSource::NewHere)
    );
    assert!(view.can_undo && !view.can_redo);

    let outcome = panel::submit(&mut f.store, &f.bot, &f.block).unwrap();
    assert!(outcome.accepted, "{}", outcome.message);
    assert_eq!(outcome.created_variables, ["first_name", "customer_phone"]);
    assert_eq!(outcome.panel.status, BlockStatus::Submitted);
    assert!(!outcome.panel.submit.enabled, "nothing new to submit");
    let rows: Vec<_> = outcome
        .panel
        .mappings
        .iter()
        .map(|m| (m.set_variable.as_str(), m.creates_variable))
        .collect();
    assert_eq!(
        rows,
        [("first_name", false), ("customer_phone", false)],
        "once created, a variable is no longer new"
    );
}

#[test]
fn a_file_from_a_newer_version_shows_the_panel_but_submit_is_off_and_says_why() {
    let mut f = fresh();
    connect_whatsapp(&mut f);
    let form = complete(&f, vec![row("data.name", "first_name")], "+14155550123");
    let ready = save(&mut f, form).unwrap();
    assert!(ready.submit.enabled, "{:?}", ready.submit);

    // The same file, as a newer Webhook Studio leaves it (its schema version is past this build's).
    let Fixture {
        _dir: dir,
        store,
        bot,
        block,
    } = f;
    drop(store);
    let path = dir.path().join("studio.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", webhook_store::SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let mut store = Store::open(&path).unwrap();

    let view = panel::view(&store, &bot, &block).unwrap();
    assert_eq!(view.form, ready.form, "the block reads as it was saved");
    assert_eq!(view.production_url, ready.production_url);
    assert!(!view.submit.enabled);
    assert_eq!(
        view.submit.reason.as_deref(),
        Some("This file is read-only: the block can be read and copied, not submitted.")
    );
    let refused = panel::submit(&mut store, &bot, &block).unwrap_err();
    assert!(refused.to_string().contains("newer Webhook Studio"), "{refused}");
}

#[test]
fn rows_say_which_set_variable_creates_a_variable() {
    let mut f = fresh();
    let mut form = panel::view(&f.store, &f.bot, &f.block).unwrap().form;
    form.mappings = vec![
        row("data.name", " first_name "),
        row("data.id", "sys_contact_reference_id"),
        row("data.x", "not a name"),
    ];
    let view = save(&mut f, form).unwrap();
    let rows: Vec<_> = view
        .mappings
        .iter()
        .map(|m| (m.set_variable.as_str(), m.creates_variable))
        .collect();
    assert_eq!(
        rows,
        [
            (" first_name ", true),
            ("sys_contact_reference_id", false),
            ("not a name", false)
        ],
        "as typed, in order: a new name creates a variable; a built-in or a bad name does not"
    );
}

#[test]
fn choosing_a_channel_keeps_the_account_only_if_that_channel_has_it_and_keeps_the_rest_of_the_form() {
    let mut f = fresh();
    connect_whatsapp(&mut f);
    channels::connect_account(
        &mut f.store,
        &f.bot,
        ChannelKind::Telegram,
        AccountInput {
            name: "Shop bot".into(),
            alias: String::new(),
            phone_number: String::new(),
        },
    )
    .unwrap();
    let mut form = panel::view(&f.store, &f.bot, &f.block).unwrap().form;
    form.mappings = vec![row("data.name", "first_name")];
    form.contact_reference_id = "{sys_contact_reference_id}".into();
    save(&mut f, form.clone()).unwrap();

    let view = panel::choose_channel(&mut f.store, &f.bot, &f.block, Some(ChannelKind::Whatsapp)).unwrap();
    assert_eq!(view.form.channel, Some(ChannelKind::Whatsapp));
    assert_eq!(view.form.account, None, "no account was chosen yet");
    let mut with_account = view.form.clone();
    with_account.account = Some("support-line".into());
    save(&mut f, with_account).unwrap();

    let same = panel::choose_channel(&mut f.store, &f.bot, &f.block, Some(ChannelKind::Whatsapp)).unwrap();
    assert_eq!(
        same.form.account.as_deref(),
        Some("support-line"),
        "WhatsApp has this account"
    );

    let other = panel::choose_channel(&mut f.store, &f.bot, &f.block, Some(ChannelKind::Telegram)).unwrap();
    assert_eq!(other.form.channel, Some(ChannelKind::Telegram));
    assert_eq!(
        other.form.account, None,
        "an account of another channel cannot stay chosen"
    );
    assert_eq!(other.form.mappings, form.mappings, "nothing typed is lost");
    assert_eq!(other.form.contact_reference_id, form.contact_reference_id);
    assert!(other.can_undo, "the choice is an edit like any other");

    let none = panel::choose_channel(&mut f.store, &f.bot, &f.block, None).unwrap();
    assert_eq!((none.form.channel, none.form.account.as_deref()), (None, None));
    assert!(
        none.problems.iter().any(|p| p.field == FieldRef::Channel),
        "{:?}",
        none.problems
    );
    let stored = panel::view(&f.store, &f.bot, &f.block).unwrap();
    assert_eq!(stored.form, none.form, "what the panel shows is what is saved");
}

#[test]
fn each_bad_input_is_shown_by_its_field_and_the_form_keeps_what_was_typed() {
    let mut f = fresh();
    connect_whatsapp(&mut f);
    let mut form = panel::view(&f.store, &f.bot, &f.block).unwrap().form;
    form.channel = Some(ChannelKind::Whatsapp);
    form.account = Some("support-line".into());
    form.mappings = vec![row("data.items[", "item"), row("data.a", "same"), row("data.b", "same")];
    form.contact_reference_id = "415 555 0123".into();
    let view = save(&mut f, form.clone()).unwrap();
    let at = |field: FieldRef| {
        view.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.clone())
    };
    assert!(
        at(FieldRef::MappingData { row: 0 }).is_some(),
        "broken path: {:?}",
        view.problems
    );
    assert!(
        at(FieldRef::MappingVariable { row: 2 }).is_some(),
        "duplicate: {:?}",
        view.problems
    );
    let contact = view
        .problems
        .iter()
        .find(|p| p.field == FieldRef::ContactReferenceId)
        .expect("missing country code");
    assert!(contact.message.contains("country code"), "{}", contact.message);
    assert_eq!(
        contact.suggestion.as_deref(),
        Some("+14155550123"),
        "the account's own country is offered"
    );
    assert!(!view.submit.enabled);

    let refused = panel::submit(&mut f.store, &f.bot, &f.block).unwrap();
    assert!(!refused.accepted);
    assert!(refused.message.contains("problems"), "{}", refused.message);
    assert_eq!(refused.panel.form, form, "nothing lost on a refused submit");
    assert_eq!(refused.panel.status, BlockStatus::Draft);

    let mut unknown = form.clone();
    unknown.mappings = vec![row("data.name", "first_name")];
    unknown.contact_reference_id = "{not_declared}".into();
    let view = save(&mut f, unknown).unwrap();
    assert!(
        view.problems
            .iter()
            .any(|p| p.field == FieldRef::ContactReferenceId && p.message.contains("not_declared")),
        "{:?}",
        view.problems
    );
}

#[test]
fn undo_and_redo_walk_the_saved_edits() {
    let mut f = fresh();
    let mut form = panel::view(&f.store, &f.bot, &f.block).unwrap().form;
    for contact in ["{a}", "{b}"] {
        form.contact_reference_id = contact.into();
        save(&mut f, form.clone()).unwrap();
    }
    let back = panel::undo(&mut f.store, &f.bot, &f.block).unwrap();
    assert_eq!(back.form.contact_reference_id, "{a}");
    assert!(back.can_redo);
    let again = panel::redo(&mut f.store, &f.bot, &f.block).unwrap();
    assert_eq!(again.form.contact_reference_id, "{b}");
}

#[test]
fn the_token_is_masked_everywhere_but_in_the_copied_text() {
    let mut f = fresh();
    let view = panel::view(&f.store, &f.bot, &f.block).unwrap();
    let token = panel::copy_text(&f.store, &f.bot, &f.block, CopyTarget::Token).unwrap();
    assert!(token.secret);
    assert!(token.text.starts_with("whs_") && token.text.len() > 40);
    assert!(
        !token.toast.contains(&token.text),
        "the toast never shows the whole token"
    );
    assert!(token.toast.contains("30 s"), "{}", token.toast);
    assert_eq!(token.clear_after_seconds, 30);
    assert!(!format!("{token:?}").contains(&token.text), "Debug hides the text");
    let shown = serde_json::to_string(&view).unwrap();
    assert!(!shown.contains(&token.text), "the panel carries only the masked token");
    assert!(view.curl.development.contains(view.token_masked.as_deref().unwrap()));

    let curl = panel::copy_text(
        &f.store,
        &f.bot,
        &f.block,
        CopyTarget::Curl {
            env: Environment::Development,
            shell: webhook_block::curl::Shell::Posix,
        },
    )
    .unwrap();
    assert!(curl.text.contains(&token.text), "the copied cURL runs as is");
    assert!(curl.text.starts_with("curl "), "{}", curl.text);
    let pwsh = panel::copy_text(
        &f.store,
        &f.bot,
        &f.block,
        CopyTarget::Curl {
            env: Environment::Development,
            shell: webhook_block::curl::Shell::Powershell,
        },
    )
    .unwrap();
    assert!(pwsh.text.contains("Invoke-RestMethod"), "{}", pwsh.text);
    assert!(pwsh.text.contains(&token.text) && pwsh.secret);
    assert!(
        view.curl
            .development_powershell
            .contains(view.token_masked.as_deref().unwrap())
    );
    assert!(!view.curl.development_powershell.contains(&token.text), "shown masked");
    assert!(curl.text.contains(&view.development_url));
    let url = panel::copy_text(
        &f.store,
        &f.bot,
        &f.block,
        CopyTarget::Url {
            env: Environment::Production,
        },
    )
    .unwrap();
    assert_eq!(url.text, view.production_url);
    assert!(!url.secret);

    let rotated = panel::rotate_token(&mut f.store, &f.bot, &f.block).unwrap();
    let after = panel::copy_text(&f.store, &f.bot, &f.block, CopyTarget::Token).unwrap();
    assert_ne!(after.text, token.text, "a new token");
    assert_ne!(rotated.token_masked, view.token_masked);
}

#[test]
fn the_sample_tree_gives_paths_and_a_click_adds_a_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let bot = webhook_editor::templates::create_bot(&mut store, TemplateId::OrderReceivedAlert)
        .unwrap()
        .to_string();
    let block = store
        .load_bot(&bot)
        .unwrap()
        .webhook_blocks()
        .next()
        .unwrap()
        .id
        .to_string();
    let view = panel::view(&store, &bot, &block).unwrap();
    let tree = view.sample.expect("the template has a sample body");
    fn leaves(node: &panel::SampleNode, out: &mut Vec<(String, Option<String>)>) {
        if node.children.is_empty() {
            if let Some(path) = &node.path {
                out.push((path.clone(), node.mapped_to.clone()));
            }
        }
        for child in &node.children {
            leaves(child, out);
        }
    }
    let mut all = Vec::new();
    leaves(&tree, &mut all);
    let unmapped = all.iter().find(|(_, mapped)| mapped.is_none()).map(|(p, _)| p.clone());
    assert!(
        all.iter().any(|(_, mapped)| mapped.is_some()),
        "mapped leaves say so: {all:?}"
    );

    let path = unmapped.expect("the sample has fields no row maps yet");
    let before = view.form.mappings.len();
    let after = panel::add_mapping_for(&mut store, &bot, &block, &path).unwrap();
    assert_eq!(after.form.mappings.len(), before + 1);
    assert_eq!(after.form.mappings[before].data, path);
    assert!(
        !after.form.mappings[before].set_variable.is_empty(),
        "a variable name is suggested"
    );
    let bad = panel::add_mapping_for(&mut store, &bot, &block, "data.items[*]").unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("data"));
}

#[test]
fn a_save_based_on_a_form_a_teammate_changed_since_is_refused_with_changed_elsewhere_and_kept_as_a_conflict() {
    let mut f = fresh();
    let loaded = panel::view(&f.store, &f.bot, &f.block).unwrap().form;
    // A teammate's change arrives through sync while the panel is open.
    let mut theirs = loaded.clone();
    theirs.contact_reference_id = "{teammate}".into();
    f.store
        .update_webhook_form(&f.bot, &f.block, theirs, webhook_store::UpdateSource::Sync)
        .unwrap();
    // The designer's next keystroke, on the form the panel still shows.
    let mut typed = loaded.clone();
    typed.contact_reference_id = "{mine}".into();
    let error = panel::edit(&mut f.store, &f.bot, &f.block, &loaded, typed).unwrap_err();
    assert_eq!(error.code, webhook_editor::EditorErrorCode::ChangedElsewhere);
    assert_eq!(
        error.message,
        "This block was changed by a teammate while you were editing; your version is kept in Sync conflicts — choose there what to keep."
    );
    // The panel read again shows the teammate's version; the edit waits in Sync conflicts.
    let again = panel::view(&f.store, &f.bot, &f.block).unwrap();
    assert_eq!(again.form.contact_reference_id, "{teammate}");
    let conflicts = f.store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        conflicts[0].mine.as_ref().unwrap()["webhook"]["form"]["contact_reference_id"],
        "{mine}"
    );

    // Saving on the reloaded form works as before.
    let mut next = again.form.clone();
    next.contact_reference_id = "{teammate} and more".into();
    let view = panel::edit(&mut f.store, &f.bot, &f.block, &again.form, next).unwrap();
    assert_eq!(view.form.contact_reference_id, "{teammate} and more");
}

#[test]
fn choosing_a_channel_the_bot_cannot_use_shows_why_by_the_field_and_a_missing_block_changes_nothing() {
    let mut f = fresh();
    connect_whatsapp(&mut f);
    let mut form = panel::view(&f.store, &f.bot, &f.block).unwrap().form;
    form.channel = Some(ChannelKind::Whatsapp);
    form.account = Some("support-line".into());
    form.mappings = vec![row("data.name", "first_name")];
    save(&mut f, form.clone()).unwrap();

    // Telegram has no integration on this bot: the choice is kept, and the field says why.
    let view = panel::choose_channel(&mut f.store, &f.bot, &f.block, Some(ChannelKind::Telegram)).unwrap();
    assert_eq!(view.form.channel, Some(ChannelKind::Telegram));
    assert_eq!(view.form.account, None);
    assert_eq!(view.form.mappings, form.mappings, "nothing typed is lost");
    assert!(
        view.problems.iter().any(|p| p.field == FieldRef::Channel),
        "{:?}",
        view.problems
    );
    assert!(!view.submit.enabled);

    let before = panel::view(&f.store, &f.bot, &f.block).unwrap().form;
    let gone = panel::choose_channel(&mut f.store, &f.bot, "wh-gone", Some(ChannelKind::Whatsapp)).unwrap_err();
    assert_eq!(gone.code, webhook_editor::EditorErrorCode::NotFound);
    assert_eq!(panel::view(&f.store, &f.bot, &f.block).unwrap().form, before);
}
