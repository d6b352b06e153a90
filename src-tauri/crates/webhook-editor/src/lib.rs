//! What the Webhook Studio window shows, computed from the block's rules (`webhook-block`) and
//! the store (`webhook-store`).
//!
//! Every function here takes the open [`Store`](webhook_store::Store), does one logical change
//! (or none), and returns the *view* the window renders: the dashboard's cards, the canvas, the
//! webhook panel with its problems, options, URLs and sample cURL, the channels and the settings.
//! The window never decides a rule: it renders these views and sends back what was typed. The
//! app's Tauri commands are one-line adapters over this crate, and the TypeScript types of the
//! views are generated from the Rust ones (specta).

#![deny(missing_docs)]

pub mod canvas;
pub mod channels;
pub mod dashboard;
mod error;
pub mod panel;
pub mod settings;
pub mod sync;
pub mod templates;
pub mod transfer;
pub mod when;

pub use error::{EditorError, EditorErrorCode, Result};
