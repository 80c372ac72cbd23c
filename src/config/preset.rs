//! Presets: configuration files shipped in the binary (`assets/presets/*.toml`), one per
//! OpenStack specs repository, each reproducing that repository's own CI check. They use
//! the keys a user writes, so each is also an example; `preset = "name"` applies one
//! beneath the keys of the file that names it.

use super::settings::Settings;

/// Every preset: name and text.
pub const PRESETS: [(&str, &str); 7] = [
    ("cinder", include_str!("../../assets/presets/cinder.toml")),
    ("ironic", include_str!("../../assets/presets/ironic.toml")),
    (
        "keystone",
        include_str!("../../assets/presets/keystone.toml"),
    ),
    ("manila", include_str!("../../assets/presets/manila.toml")),
    ("neutron", include_str!("../../assets/presets/neutron.toml")),
    ("nova", include_str!("../../assets/presets/nova.toml")),
    ("trove", include_str!("../../assets/presets/trove.toml")),
];

/// The preset called `name`, parsed and checked.
pub(super) fn load(name: &str) -> Result<Settings, String> {
    let Some((_, text)) = PRESETS.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "preset: unknown preset {name:?} (one of: {})",
            names.join(", ")
        ));
    };
    let settings: Settings =
        toml::from_str(text).map_err(|e| format!("preset {name}: {}", e.message()))?;
    let source = format!("preset {name}");
    settings
        .validate(std::path::Path::new(""), &source, true)
        .map_err(|e| e.to_string())?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_validates() {
        for (name, _) in PRESETS {
            load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert!(load("swift").unwrap_err().contains("nova"));
    }

    /// cinder and manila gate on doc8, which fails on any docutils warning (D000, in
    /// `*.rst` files only) and on D002..D005, and on nothing else: every code is one of
    /// those, an error, or off - a new code (a new `rst-*` above all) must be placed.
    #[test]
    fn doc8_presets_place_every_code() {
        use crate::{Code, Config, Severity};
        let lines = [
            Code::TrailingWhitespace,
            Code::TabIndentation,
            Code::CarriageReturn,
            Code::MissingFinalNewline,
        ];
        let docutils = |c: Code| {
            c.as_str().starts_with("rst-")
                || matches!(c, Code::HeadingUnderline | Code::HeadingStructure)
        };
        for name in ["cinder", "manila"] {
            let text = format!("preset = \"{name}\"\n");
            let config = Config::from_toml(&text, std::path::Path::new("/r/trove-spec-lsp.toml"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let rst = config.for_path(std::path::Path::new("/r/specs/a/b.rst"));
            let txt = config.for_path(std::path::Path::new("/r/specs/a/b.txt"));
            for code in Code::ALL {
                let doc8 = lines.contains(&code) || docutils(code);
                let want = |on: bool| on.then_some(Severity::Error);
                assert_eq!(
                    rst.severity(code),
                    want(doc8),
                    "preset {name}: set `{}` in its [severity]",
                    code.as_str()
                );
                assert_eq!(
                    txt.severity(code),
                    want(lines.contains(&code)),
                    "preset {name}: set `{}` in its *.txt override",
                    code.as_str()
                );
            }
        }
    }
}
