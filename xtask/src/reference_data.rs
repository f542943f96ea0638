//! Regenerates `server/reference/` from registry packages (see docs/reference-data.md).

pub fn regenerate(_repo_root: &std::path::Path) -> anyhow::Result<()> {
    anyhow::bail!("la régénération des données de référence n'est pas encore disponible")
}
