//! Hover: the position in, the engine's [`assist::hover`] Markdown out.

use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::documents::Analyzed;
use super::from_proto;
use crate::assist;
use crate::proto;
use crate::text::Encoding;

/// The hover at `pos`, if there is something to say.
pub fn hover(analyzed: &Analyzed, pos: Position, enc: Encoding) -> Option<Hover> {
    let offset = from_proto::offset(analyzed, pos, enc);
    let context = &analyzed.context;
    let info = assist::hover(
        &analyzed.text,
        &analyzed.index,
        &analyzed.analysis,
        &context.template,
        context.mode,
        offset,
    )?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: info.markdown,
        }),
        range: Some(proto::range(
            &analyzed.text,
            &analyzed.index,
            &info.range,
            enc,
        )),
    })
}
