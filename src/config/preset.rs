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
}
