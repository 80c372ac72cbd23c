//! What the editor features ask of a document beyond its findings, as plain data (byte
//! ranges of the analysed text, Markdown strings; no LSP types): what to complete and
//! where (`completion`), what to show on hover (`hover`). The server converts positions
//! in and these results out; the rules stay in `check` and `template`.
//!
//! `guidance` describes a template section as Markdown (hover and completion
//! documentation), `markdown` converts the template's reStructuredText guidance, and
//! `headings` lists the document's sections with their depth and parent.

pub mod completion;
mod guidance;
mod headings;
pub mod hover;
mod markdown;

pub use completion::{Completion, HeadingItem, Slot, Underline, complete};
pub use hover::{HoverInfo, hover};
