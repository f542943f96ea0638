//! `cargo xtask build [--release]`: the server binary and the site
//! (`target/site`: `pkg/` wasm bundle and CSS, `dsfr/`, `leaflet/`, `carte/`).

use crate::shell::{self, root, run, Steps};
use crate::tools;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Built {
    pub server: PathBuf,
    pub site: PathBuf,
}

pub fn site_root() -> PathBuf {
    root().join("target").join("site")
}

pub fn build(release: bool) -> Result<Built> {
    let mut steps = Steps::default();
    let root = root();
    let npm_dir = root.join("xtask").join("npm");
    steps.time("outils (cible wasm32, wasm-bindgen, npm)", || {
        tools::ensure_wasm_target()?;
        tools::npm_install(&npm_dir)
    })?;
    let bindgen = steps.time("wasm-bindgen-cli", tools::ensure_wasm_bindgen)?;

    steps.time("serveur", || {
        let mut cargo = shell::cargo();
        cargo.args(["build", "-p", "server", "--bin", "emjpm"]);
        if release {
            cargo.arg("--release");
        }
        run(&mut cargo, &format!("compilation du serveur{}", if release { " (release)" } else { "" }))
    })?;

    // Never in the same cargo invocation as the server: `app` would be compiled
    // with both `ssr` and `hydrate`.
    let profile = if release { "wasm-release" } else { "dev" };
    steps.time("wasm", || {
        run(
            shell::cargo().args(["build", "-p", "frontend", "--lib", "--target", tools::WASM_TARGET, "--profile", profile]),
            "compilation du navigateur (wasm32)",
        )
    })?;
    let site = site_root();
    let pkg = site.join("pkg");
    let profile_dir = if release { "wasm-release" } else { "debug" };
    let wasm_in = root.join("target").join(tools::WASM_TARGET).join(profile_dir).join("frontend.wasm");
    // wasm-bindgen and wasm-opt (~20 s) are skipped when cargo left the wasm as it
    // was last processed: a second `cargo xtask run` starts in seconds.
    // The stamp lives outside the served site.
    let stamp_file = root.join("target").join("xtask-pkg.stamp");
    let stamp = fingerprint(&wasm_in, release)?;
    let fresh = std::fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp)
        && pkg.join("emjpm_bg.wasm").is_file()
        && pkg.join("emjpm.js").is_file();
    if fresh {
        println!("→ wasm inchangé : wasm-bindgen et wasm-opt inutiles");
    } else {
        steps.time("wasm-bindgen", || {
            let _ = std::fs::remove_file(&stamp_file);
            let _ = std::fs::remove_dir_all(&pkg);
            run(
                Command::new(&bindgen)
                    .args(["--target", "web", "--no-typescript", "--out-name", "emjpm", "--out-dir"])
                    .arg(&pkg)
                    .arg(&wasm_in),
                "wasm-bindgen",
            )
        })?;
        if release {
            steps.time("wasm-opt", || {
                // npm `binaryen`, never Debian's (version 108 silently breaks the bundle).
                let wasm = pkg.join("emjpm_bg.wasm");
                run(
                    Command::new(npm_dir.join("node_modules/.bin/wasm-opt"))
                        .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "-o"])
                        .arg(&wasm)
                        .arg(&wasm),
                    "wasm-opt -Oz",
                )
                .context("wasm-opt (npm binaryen) a échoué ; supprimez xtask/npm/node_modules puis relancez pour le réinstaller")
            })?;
        }
        // Written last: an interrupted step is redone next time.
        std::fs::write(&stamp_file, &stamp)?;
    }
    steps.time("ressources (CSS, DSFR, Leaflet, carte)", || assets(&root, &npm_dir, &site))?;
    print_sizes(&pkg)?;
    steps.print();
    let server = root.join("target").join(if release { "release" } else { "debug" }).join("emjpm");
    Ok(Built { server, site })
}

/// What the processed bundle in `pkg/` was made from: the wasm cargo produced
/// (size and modification time), the build kind and the wasm-bindgen version.
fn fingerprint(wasm: &Path, release: bool) -> Result<String> {
    let meta = std::fs::metadata(wasm).with_context(|| format!("{} absent après la compilation", wasm.display()))?;
    let modified = meta.modified()?.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let bindgen = tools::locked_version("wasm-bindgen")?;
    Ok(format!("{} {} {} release={release} wasm-bindgen={bindgen}\n", meta.len(), modified.as_secs(), modified.subsec_nanos()))
}

fn assets(root: &Path, npm_dir: &Path, site: &Path) -> Result<()> {
    let modules = npm_dir.join("node_modules");
    copy(&root.join("style/main.css"), &site.join("pkg/emjpm.css"))?;
    copy_dir(&root.join("public"), site)?;
    // DSFR: the stylesheet, its icons and fonts (its JavaScript is not used).
    let dsfr = modules.join("@gouvfr/dsfr/dist");
    copy(&dsfr.join("dsfr.min.css"), &site.join("dsfr/dsfr.min.css"))?;
    for dir in ["fonts", "icons", "favicon", "utility"] {
        copy_dir(&dsfr.join(dir), &site.join("dsfr").join(dir))?;
    }
    let leaflet = modules.join("leaflet/dist");
    for file in ["leaflet.js", "leaflet.css"] {
        copy(&leaflet.join(file), &site.join("leaflet").join(file))?;
    }
    copy_dir(&leaflet.join("images"), &site.join("leaflet/images"))?;
    let boundaries = site.join("carte/departements.geojson");
    if !boundaries.exists() {
        std::fs::create_dir_all(site.join("carte"))?;
        run(
            Command::new("node")
                .arg(root.join("xtask/scripts/departements-geojson.cjs"))
                .arg(modules.join("jvectormap-content/fr-merc.js"))
                .arg(&boundaries),
            "frontières des départements (jvectormap-content → GeoJSON)",
        )?;
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(from, to).with_context(|| format!("copie de {} impossible", from.display()))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Prints the size of the browser bundle, raw and gzip-compressed.
fn print_sizes(pkg: &Path) -> Result<()> {
    for file in ["emjpm_bg.wasm", "emjpm.js", "emjpm.css"] {
        let bytes = std::fs::read(pkg.join(file)).with_context(|| format!("{file} absent"))?;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&bytes)?;
        let gz = encoder.finish()?;
        println!("  {file:<16} {:>8} octets, {:>8} en gzip", bytes.len(), gz.len());
    }
    Ok(())
}
