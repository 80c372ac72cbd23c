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

    /// cinder and manila gate on doc8, which fails on any docutils warning: every
    /// docutils message code (`rst-*`) must be an error in both.
    #[test]
    fn doc8_presets_fail_on_every_docutils_code() {
        use crate::{Code, Config, Severity};
        for name in ["cinder", "manila"] {
            let text = format!("preset = \"{name}\"\n");
            let config = Config::from_toml(&text, std::path::Path::new("trove-spec-lsp.toml"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            for code in Code::ALL
                .into_iter()
                .filter(|c| c.as_str().starts_with("rst-"))
            {
                assert_eq!(
                    config.configured_severity(code),
                    Some(Some(Severity::Error)),
                    "preset {name}: add `{} = \"error\"` to its [severity]",
                    code.as_str()
                );
            }
        }
    }
}
