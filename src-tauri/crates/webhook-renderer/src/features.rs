//! WebKit's runtime features on a webview's settings, through WebKitGTK 2.42's feature API
//! (`webkit_settings_set_feature_enabled`). The webkit2gtk crate that wry links binds WebKitGTK
//! up to 2.40, so its functions are looked up with `dlsym` in the WebKitGTK library the
//! process has loaded: on an older WebKitGTK they are missing, and the webview keeps its
//! defaults instead of the app failing to start.

use std::ffi::{CStr, c_char, c_void};
use std::fmt;

use glib::translate::ToGlibPtr;

/// `WebKitFeatureList *` and `WebKitFeature *`: opaque to Rust.
type Opaque = c_void;
type Settings = webkit2gtk::ffi::WebKitSettings;

/// The feature API of the WebKitGTK this process has loaded (`webkit/WebKitFeature.h` and
/// `webkit/WebKitSettings.h`, 2.42).
struct Api {
    all_features: unsafe extern "C" fn() -> *mut Opaque,
    list_length: unsafe extern "C" fn(*mut Opaque) -> usize,
    list_get: unsafe extern "C" fn(*mut Opaque, usize) -> *mut Opaque,
    list_unref: unsafe extern "C" fn(*mut Opaque),
    identifier: unsafe extern "C" fn(*mut Opaque) -> *const c_char,
    set_enabled: unsafe extern "C" fn(*mut Settings, *mut Opaque, glib::ffi::gboolean),
    default_value: unsafe extern "C" fn(*mut Opaque) -> glib::ffi::gboolean,
}

#[allow(unsafe_code)] // Symbols looked up at run time (see the module's comment).
impl Api {
    fn load() -> Option<Api> {
        fn symbol(name: &CStr) -> Option<*mut c_void> {
            // SAFETY: `dlsym` with RTLD_DEFAULT only reads the loaded objects' symbol tables;
            // `name` is a valid C string.
            let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
            (!found.is_null()).then_some(found)
        }
        // SAFETY: each symbol is WebKitGTK's function of that name, cast to the signature its
        // header declares (gsize is usize, gboolean is glib's).
        unsafe {
            Some(Api {
                all_features: std::mem::transmute::<*mut c_void, unsafe extern "C" fn() -> *mut Opaque>(symbol(
                    c"webkit_settings_get_all_features",
                )?),
                list_length: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*mut Opaque) -> usize>(symbol(
                    c"webkit_feature_list_get_length",
                )?),
                list_get: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*mut Opaque, usize) -> *mut Opaque>(
                    symbol(c"webkit_feature_list_get")?,
                ),
                list_unref: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*mut Opaque)>(symbol(
                    c"webkit_feature_list_unref",
                )?),
                identifier: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*mut Opaque) -> *const c_char>(
                    symbol(c"webkit_feature_get_identifier")?,
                ),
                set_enabled: std::mem::transmute::<
                    *mut c_void,
                    unsafe extern "C" fn(*mut Settings, *mut Opaque, glib::ffi::gboolean),
                >(symbol(c"webkit_settings_set_feature_enabled")?),
                default_value: std::mem::transmute::<
                    *mut c_void,
                    unsafe extern "C" fn(*mut Opaque) -> glib::ffi::gboolean,
                >(symbol(c"webkit_feature_get_default_value")?),
            })
        }
    }

    /// Calls `each` with every feature WebKit knows, by identifier. The list (and so each
    /// feature pointer) lives until `each` has seen them all.
    fn for_each_feature(&self, mut each: impl FnMut(&str, *mut Opaque)) {
        // SAFETY: the list is WebKit's (transfer full), read within its length, and released
        // once; each identifier is a static C string owned by its feature.
        unsafe {
            let list = (self.all_features)();
            if list.is_null() {
                return;
            }
            for index in 0..(self.list_length)(list) {
                let feature = (self.list_get)(list, index);
                if feature.is_null() {
                    continue;
                }
                let identifier = (self.identifier)(feature);
                if !identifier.is_null() {
                    each(&CStr::from_ptr(identifier).to_string_lossy(), feature);
                }
            }
            (self.list_unref)(list);
        }
    }
}

/// Why [`turn_off`] left a feature as WebKit's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeatureError {
    /// WebKitGTK older than 2.42: it has no feature API, so every feature keeps its default.
    NoFeatureApi,
    /// This WebKitGTK knows no feature by these names (renamed or removed); the others were set.
    Unknown(Vec<&'static str>),
}

impl fmt::Display for FeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeatureError::NoFeatureApi => {
                write!(
                    f,
                    "this WebKitGTK is older than 2.42 and has no feature settings; its defaults stand"
                )
            }
            FeatureError::Unknown(names) => {
                write!(
                    f,
                    "this WebKitGTK has no feature named {}; left as it is",
                    names.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for FeatureError {}

/// Turns off each of `features` (WebKit's identifiers, as `webkit_feature_get_identifier`
/// gives them) in `settings`, for every page that uses them.
#[allow(unsafe_code)] // Calls into the API found by `Api::load`.
pub fn turn_off(settings: &webkit2gtk::Settings, features: &[&'static str]) -> Result<(), FeatureError> {
    if features.is_empty() {
        return Ok(());
    }
    let api = Api::load().ok_or(FeatureError::NoFeatureApi)?;
    let raw: *mut Settings = settings.to_glib_none().0;
    let mut unknown: Vec<&'static str> = features.to_vec();
    api.for_each_feature(|identifier, feature| {
        if let Some(at) = unknown.iter().position(|name| *name == identifier) {
            // SAFETY: a live WebKitSettings and a feature from the list being walked.
            unsafe { (api.set_enabled)(raw, feature, glib::ffi::GFALSE) };
            unknown.swap_remove(at);
        }
    });
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(FeatureError::Unknown(unknown))
    }
}

/// Whether `feature` is on by default in this WebKitGTK; `None` if it has no feature API or no
/// feature by that name.
#[allow(unsafe_code)] // Calls into the API found by `Api::load`.
pub fn default_value(feature: &str) -> Option<bool> {
    let api = Api::load()?;
    let mut on = None;
    api.for_each_feature(|identifier, found| {
        if identifier == feature {
            // SAFETY: a feature from the list being walked.
            on = Some(unsafe { (api.default_value)(found) } != glib::ffi::GFALSE);
        }
    });
    on
}
