//! How the window's WebKit paints on this machine.
//!
//! WebKitGTK paints a page's layers with Skia on the GPU by default. On a machine with no GPU
//! for it to use (a virtual machine, a remote desktop, a CI runner, Xvfb) Mesa hands it llvmpipe,
//! a software rasterizer that compiles every shader with LLVM: painting the first screens then
//! costs more CPU time than drawing them with Skia's own CPU rasterizer, and the GPU tiles,
//! textures and caches kept in ordinary memory cost about 60 MiB more. Chromium makes the same
//! call for the same reason: it turns GPU rasterization off on Mesa's software rasterizers.
//!
//! So where the only OpenGL is a software one, the window paints on the CPU
//! (`WEBKIT_SKIA_ENABLE_CPU_RENDERING=1`, read by each WebKit web process when it starts);
//! everywhere else WebKit keeps its default. [`choose`] decides from what the machine shows
//! without starting any OpenGL (which would cost the start-up what it is meant to save):
//! - `WEBKIT_SKIA_ENABLE_CPU_RENDERING` already set, to anything: the person's choice stands;
//! - `LIBGL_ALWAYS_SOFTWARE` true (Mesa's own switch to its software rasterizer): the CPU;
//! - no GPU device node (`/dev/dri/renderD*`, NVIDIA's `/dev/nvidiactl`, WSL's `/dev/dxg`):
//!   Mesa can only rasterize in software, so the CPU;
//! - otherwise WebKit's default, the GPU. A GPU device whose driver is itself software (a
//!   virtual GPU without 3D) keeps that default: the choice only ever leaves WebKit's default
//!   where the GPU path cannot be real.
//!
//! [`apply`] sets the variable for this process, and so for the WebKit processes it starts. It
//! changes the environment, which is only sound while no other thread uses it: call it first
//! thing in `main` (tests/e2e/app.test.mjs checks that the app's web process gets it).
//!
//! Painting on the CPU also turns off the WebKit features that only pay with a GPU
//! ([`Renderer::features_off`]); [`configure_webview`] does it on the window's webview, once it
//! exists (in Tauri's `setup`).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

#[cfg(target_os = "linux")]
mod features;
#[cfg(target_os = "linux")]
pub use features::{FeatureError, default_value, turn_off};

/// The variable WebKit's web process reads to paint with Skia on the CPU.
pub const CPU_RENDERING_ENV: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
/// Mesa's switch to its software rasterizer.
pub const SOFTWARE_GL_ENV: &str = "LIBGL_ALWAYS_SOFTWARE";

/// How WebKit paints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renderer {
    /// WebKit's default: Skia on the GPU (or whatever the person set).
    Default,
    /// Skia's CPU rasterizer.
    Cpu,
}

/// WebKit features turned off where the window paints on the CPU, by WebKit's identifiers.
///
/// `AsyncOverflowScrolling`: WebKit gives each box that scrolls (the block panel, a long sample
/// body) a composited layer of its own, whose tiles the compositor thread moves as it scrolls,
/// tiled beyond the part shown. Painting on the CPU, each such tile is held twice in ordinary
/// memory: Skia's bitmap, and the texture llvmpipe composites from. With the feature off, the
/// box paints into the layer under it and scrolls on the page's main thread, which repaints the
/// strip that comes into view: a few hundred pixels for Skia, well under a frame.
///
/// Measured on the app's window with the webhook panel open (`make bench`'s cold start, paired
/// runs): 3 MiB less PSS for the process tree (321 against 324 MiB), for about 7 ms more to
/// select a block (45 against 38 ms) and 15 ms more for the 500-block canvas's first render
/// (160 against 145 ms), as the page's main thread now paints what the compositor moved before.
/// (Before the canvas lost its fades, which left more layers behind, it saved 7 MiB.) The memory
/// is `make bench`'s goal, so the trade stands; `WEBKIT_SKIA_ENABLE_CPU_RENDERING=1` set by hand
/// keeps WebKit's defaults ([`Choice::SetByUser`]).
pub const CPU_FEATURES_OFF: &[&str] = &["AsyncOverflowScrolling"];

impl Renderer {
    /// The WebKit features this way of painting turns off ([`configure_webview`]).
    pub fn features_off(self) -> &'static [&'static str] {
        match self {
            Renderer::Cpu => CPU_FEATURES_OFF,
            Renderer::Default => &[],
        }
    }
}

/// Turns off, on `webview`'s settings, the WebKit features `renderer` does without
/// ([`Renderer::features_off`]). Call it once the window's webview exists: the page's later
/// layouts use the new settings. An error leaves the webview on WebKit's defaults, which work,
/// at a cost in memory: say it in the log and go on.
#[cfg(target_os = "linux")]
pub fn configure_webview(renderer: Renderer, webview: &webkit2gtk::WebView) -> Result<(), FeatureError> {
    use webkit2gtk::WebViewExt;
    match webview.settings() {
        Some(settings) => turn_off(&settings, renderer.features_off()),
        None => Ok(()),
    }
}

/// What [`choose`] found, which says how WebKit paints ([`Choice::renderer`]) and why, for the
/// log line a bug report starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// `WEBKIT_SKIA_ENABLE_CPU_RENDERING` was already set: left as it is.
    SetByUser,
    /// `LIBGL_ALWAYS_SOFTWARE` asks Mesa for its software rasterizer: the CPU.
    SoftwareGlRequested,
    /// No GPU device node under the device folder: the CPU.
    NoGpuDevice,
    /// This GPU device node is there: WebKit's default.
    GpuDevice(PathBuf),
    /// Not Linux: the webview is not WebKitGTK, and keeps its default.
    NotWebKitGtk,
}

impl Choice {
    /// How WebKit paints for this choice.
    pub fn renderer(&self) -> Renderer {
        match self {
            Choice::SoftwareGlRequested | Choice::NoGpuDevice => Renderer::Cpu,
            Choice::SetByUser | Choice::GpuDevice(_) | Choice::NotWebKitGtk => Renderer::Default,
        }
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Choice::SoftwareGlRequested => write!(
                f,
                "painting on the CPU: {SOFTWARE_GL_ENV} asks for software OpenGL ({CPU_RENDERING_ENV}=0 paints on the GPU anyway); WebKit features off: {}",
                CPU_FEATURES_OFF.join(", ")
            ),
            Choice::NoGpuDevice => write!(
                f,
                "painting on the CPU: no GPU device (/dev/dri/renderD*, /dev/nvidiactl, /dev/dxg), so OpenGL would be a software rasterizer ({CPU_RENDERING_ENV}=0 paints on the GPU anyway); WebKit features off: {}",
                CPU_FEATURES_OFF.join(", ")
            ),
            Choice::SetByUser => write!(f, "painting as {CPU_RENDERING_ENV} says"),
            Choice::GpuDevice(device) => write!(f, "painting on the GPU ({})", device.display()),
            Choice::NotWebKitGtk => write!(f, "painting with the webview's default"),
        }
    }
}

/// The choice for this machine: its environment and its `/dev`.
pub fn choose_for_this_machine() -> Choice {
    if !cfg!(target_os = "linux") {
        return Choice::NotWebKitGtk;
    }
    choose(|name| std::env::var_os(name), Path::new("/dev"))
}

/// The choice for a machine whose environment is `var` and whose device folder is `dev`.
pub fn choose(var: impl Fn(&str) -> Option<OsString>, dev: &Path) -> Choice {
    if var(CPU_RENDERING_ENV).is_some() {
        Choice::SetByUser
    } else if var(SOFTWARE_GL_ENV).is_some_and(|value| mesa_true(&value)) {
        Choice::SoftwareGlRequested
    } else {
        gpu_device(dev).map_or(Choice::NoGpuDevice, Choice::GpuDevice)
    }
}

/// What Mesa reads as true in a boolean variable (its `env_var_as_boolean`).
fn mesa_true(value: &OsStr) -> bool {
    let value = value.to_string_lossy();
    ["1", "true", "y", "yes"]
        .iter()
        .any(|yes| value.trim().eq_ignore_ascii_case(yes))
}

/// The first GPU device node under `dev`: a DRM render node (Mesa's hardware drivers, and
/// NVIDIA's with its DRM module), NVIDIA's control device, or WSL's GPU.
fn gpu_device(dev: &Path) -> Option<PathBuf> {
    let render_node = std::fs::read_dir(dev.join("dri")).ok().and_then(|entries| {
        entries
            .filter_map(Result::ok)
            .find(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
            .map(|entry| entry.path())
    });
    render_node.or_else(|| {
        ["nvidiactl", "dxg"]
            .iter()
            .map(|name| dev.join(name))
            .find(|path| path.exists())
    })
}

/// Makes the choice hold for this process and the WebKit processes it starts: sets
/// `WEBKIT_SKIA_ENABLE_CPU_RENDERING=1` for [`Renderer::Cpu`], and changes nothing otherwise.
///
/// # Safety
///
/// No other thread may read or write the environment while this runs (`std::env::set_var`'s
/// contract). Call it first thing in `main`, before anything that starts threads (Tauri, GTK,
/// tokio): then the only other thread a WebKitGTK app has is JavaScriptCore's memory scavenger,
/// which its library's loader starts before `main` and which never touches the environment.
#[allow(unsafe_code)] // See the root Cargo.toml.
pub unsafe fn apply(choice: &Choice) {
    if choice.renderer() == Renderer::Cpu {
        // SAFETY: the caller's contract above.
        unsafe {
            std::env::set_var(CPU_RENDERING_ENV, "1");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), OsString::from(value)))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn dev_with(nodes: &[&str]) -> tempfile::TempDir {
        let dev = tempfile::tempdir().expect("a temporary /dev");
        for node in nodes {
            let path = dev.path().join(node);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("its folder");
            std::fs::write(&path, b"").expect("the node");
        }
        dev
    }

    #[test]
    fn a_machine_without_a_gpu_device_paints_on_the_cpu() {
        let dev = dev_with(&["null", "dri/card0-is-not-a-render-node/x"]);
        let choice = choose(env(&[]), dev.path());
        assert_eq!(choice.renderer(), Renderer::Cpu);
        assert_eq!(choice, Choice::NoGpuDevice);
        assert!(
            choice.to_string().contains("WEBKIT_SKIA_ENABLE_CPU_RENDERING=0"),
            "{choice}"
        );
    }

    #[test]
    fn painting_on_the_cpu_turns_composited_overflow_scrolling_off_and_says_so() {
        assert_eq!(Renderer::Cpu.features_off(), ["AsyncOverflowScrolling"]);
        assert!(Renderer::Default.features_off().is_empty());
        let choice = choose(env(&[]), dev_with(&[]).path());
        assert!(
            choice
                .to_string()
                .ends_with("WebKit features off: AsyncOverflowScrolling"),
            "{choice}"
        );
    }

    /// On the WebKitGTK this machine has, each identifier still names a feature, and one that
    /// is on unless turned off. (Setting it needs a WebKitSettings, which needs a display: the
    /// app's end-to-end test reads its log, where a failure to turn one off is said.)
    #[cfg(target_os = "linux")]
    #[test]
    fn the_installed_webkit_knows_the_cpu_features_and_has_them_on_by_default() {
        // Loads WebKitGTK into this test as a webview loads it into the app (a call the linker
        // cannot drop); its feature API is then found as in the app.
        let _ = <webkit2gtk::Settings as glib::StaticType>::static_type();
        for feature in CPU_FEATURES_OFF {
            assert_eq!(
                default_value(feature),
                Some(true),
                "{feature}: this WebKitGTK (2.42+ has the feature API) does not know it, or has it off already"
            );
        }
        assert_eq!(default_value("NoSuchWebKitFeature"), None);
    }

    #[test]
    fn a_render_node_keeps_webkits_gpu_default() {
        let dev = dev_with(&["dri/card0", "dri/renderD128"]);
        let choice = choose(env(&[]), dev.path());
        assert_eq!(choice.renderer(), Renderer::Default);
        assert_eq!(choice, Choice::GpuDevice(dev.path().join("dri/renderD128")));
    }

    #[test]
    fn nvidia_and_wsl_gpus_without_a_render_node_keep_the_default() {
        for node in ["nvidiactl", "dxg"] {
            let dev = dev_with(&[node]);
            let choice = choose(env(&[]), dev.path());
            assert_eq!(choice.renderer(), Renderer::Default, "{node}");
            assert_eq!(choice, Choice::GpuDevice(dev.path().join(node)));
        }
    }

    #[test]
    fn mesas_software_switch_paints_on_the_cpu_even_with_a_gpu() {
        let dev = dev_with(&["dri/renderD128"]);
        for yes in ["1", "true", "YES", "y"] {
            let choice = choose(env(&[(SOFTWARE_GL_ENV, yes)]), dev.path());
            assert_eq!(choice.renderer(), Renderer::Cpu, "{yes}");
            assert_eq!(choice, Choice::SoftwareGlRequested);
        }
        for no in ["0", "false", "no", ""] {
            assert_eq!(
                choose(env(&[(SOFTWARE_GL_ENV, no)]), dev.path()).renderer(),
                Renderer::Default,
                "{no:?}"
            );
        }
    }

    #[test]
    fn a_persons_own_setting_stands_either_way() {
        let no_gpu = dev_with(&[]);
        for value in ["0", "1", ""] {
            let choice = choose(
                env(&[(CPU_RENDERING_ENV, value), (SOFTWARE_GL_ENV, "1")]),
                no_gpu.path(),
            );
            assert_eq!(choice.renderer(), Renderer::Default, "{value:?}");
            assert_eq!(choice, Choice::SetByUser);
        }
    }
}
