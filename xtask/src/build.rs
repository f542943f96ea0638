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
    // The split, wasm-bindgen and wasm-opt (~1 min) are skipped when cargo left the wasm as it
    // was last processed: a second `cargo xtask run` starts in seconds.
    // The stamp lives outside the served site.
    let stamp_file = root.join("target").join("xtask-pkg.stamp");
    let stamp = fingerprint(&wasm_in, release)?;
    let fresh = std::fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp)
        && pkg.join("emjpm_bg.wasm").is_file()
        && pkg.join("emjpm.js").is_file()
        && pkg.join(SPLIT_MANIFEST).is_file();
    if fresh {
        println!("→ wasm inchangé : découpage, wasm-bindgen et wasm-opt inutiles");
    } else {
        let _ = std::fs::remove_file(&stamp_file);
        let _ = std::fs::remove_dir_all(&pkg);
        std::fs::create_dir_all(&pkg)?;
        // One part per group of pages (app/src/pages.rs): the parts and the
        // script that loads them go to pkg/, what every page needs to a main
        // module that wasm-bindgen then processes as usual.
        let main_wasm = wasm_in.with_file_name("frontend_split.wasm");
        let parts = steps.time("découpage du wasm par groupe de pages", || split_into_parts(&wasm_in, &main_wasm, &pkg))?;
        steps.time("wasm-bindgen", || {
            run(
                Command::new(&bindgen)
                    // The parts call the main module's functions by their
                    // linker names: keep those exports and names as they are.
                    .args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--no-demangle"])
                    .args(["--out-name", "emjpm", "--out-dir"])
                    .arg(&pkg)
                    .arg(&main_wasm),
                "wasm-bindgen",
            )
        })?;
        if release {
            steps.time("wasm-opt", || {
                // npm `binaryen`, never Debian's (version 108 silently breaks the bundle).
                for wasm in std::iter::once(pkg.join("emjpm_bg.wasm")).chain(parts) {
                    run(
                        Command::new(npm_dir.join("node_modules/.bin/wasm-opt"))
                            .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "-o"])
                            .arg(&wasm)
                            .arg(&wasm),
                        "wasm-opt -Oz",
                    )
                    .context("wasm-opt (npm binaryen) a échoué ; supprimez xtask/npm/node_modules puis relancez pour le réinstaller")?;
                }
                Ok(())
            })?;
        }
        // Written last: an interrupted step is redone next time.
        std::fs::write(&stamp_file, &stamp)?;
    }
    steps.time("ressources (CSS, DSFR, Leaflet, carte)", || assets(&root, &npm_dir, &site))?;
    steps.time("compression (brotli, gzip) et empreinte du site", || {
        // The development build's wasm is ~19 MB: its best brotli took a minute
        // of every browser-test run for bytes that only travel on localhost.
        precompress(&site, if release { 11 } else { 5 })?;
        let id = site_fingerprint(&site)?;
        std::fs::write(site.join(BUILD_ID_FILE), format!("{id}\n"))?;
        println!("→ ressources servies sous /static/{id}/");
        Ok(())
    })?;
    print_sizes(&pkg)?;
    steps.print();
    let server = root.join("target").join(if release { "release" } else { "debug" }).join("emjpm");
    Ok(Built { server, site })
}

/// The script that loads the parts, beside the main module (which imports it;
/// the name Leptos' own tools give it).
pub const SPLIT_LOADER: &str = "__wasm_split.______________________.js";
/// Which files each group of pages needs, read by the server to name them in
/// the page it renders (`app::assets::SPLIT_MANIFEST`).
pub const SPLIT_MANIFEST: &str = "__wasm_split_manifest.json";

/// Cuts the bundle at the groups' split points (`#[lazy]` in app/src/pages.rs,
/// compiled with `--emit-relocs`): writes `split_<group>_*.wasm` (one group's own
/// code), `chunk_*.wasm` (code several groups share), the loader script and the
/// manifest into `pkg`, and the rest to `main_out`. Returns the files written.
fn split_into_parts(wasm: &Path, main_out: &Path, pkg: &Path) -> Result<Vec<PathBuf>> {
    let input = std::fs::read(wasm)?;
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = pkg;
    options.main_out_path = main_out;
    options.main_module = "./emjpm.js";
    let loader = format!("./{SPLIT_LOADER}");
    options.link_name = &loader;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("découpage du wasm impossible (compilé sans -Clink-args=--emit-relocs ? voir .cargo/config.toml)")?;
    if split.split_modules.is_empty() {
        anyhow::bail!("le wasm n'a aucun point de découpage : les pages (app/src/pages.rs) devraient en être");
    }
    std::fs::write(pkg.join(SPLIT_MANIFEST), serde_json::to_string_pretty(&split.prefetch_map)?)?;
    println!("→ {} morceaux de wasm chargés à la demande", split.split_modules.len());
    Ok(split.split_modules)
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
    // Not `utility/`: the few icons used are declared in style/main.css.
    for dir in ["fonts", "icons", "favicon"] {
        copy_dir(&dsfr.join(dir), &site.join("dsfr").join(dir))?;
    }
    // Browsers ask for /favicon.ico whatever the page says.
    copy(&dsfr.join("favicon/favicon.ico"), &site.join("favicon.ico"))?;
    let leaflet = modules.join("leaflet/dist");
    for file in ["leaflet.js", "leaflet.css"] {
        copy(&leaflet.join(file), &site.join("leaflet").join(file))?;
    }
    copy_dir(&leaflet.join("images"), &site.join("leaflet/images"))?;
    let boundaries = site.join("carte/departements.geojson");
    let script = root.join("xtask/scripts/departements-geojson.cjs");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if modified(&boundaries) < modified(&script) {
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

/// The file in the site root naming the current build; the server serves the
/// static files under `/static/<that id>/`, cached for a year by browsers.
pub const BUILD_ID_FILE: &str = "build-id";

/// Files worth compressing (fonts and images are already compressed).
const COMPRESSIBLE: [&str; 6] = ["js", "wasm", "css", "svg", "json", "geojson"];

fn is_variant(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz"))
}

/// Every file of the site, in a stable order.
fn site_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            site_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Writes `file.br` and `file.gz` beside each compressible file (the server
/// sends them to browsers that accept them). Variants newer than their file
/// are kept: brotli at its best level takes seconds on the wasm.
fn precompress(site: &Path, quality: i32) -> Result<()> {
    // Variants made at another quality (a development build before a release
    // one) are all made again.
    // (Kept beside the site, not in it: it is not served.)
    let marker = site.with_file_name("site-qualite-compression");
    let same_quality = std::fs::read_to_string(&marker).is_ok_and(|q| q.trim() == quality.to_string());
    let mut files = Vec::new();
    site_files(site, &mut files)?;
    for file in files {
        let compressible = file.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e));
        let metadata = std::fs::metadata(&file)?;
        // Below 1 KB compression saves next to nothing (the DSFR's ~1,700 icons).
        if !compressible || is_variant(&file) || metadata.len() < 1024 {
            continue;
        }
        let modified = metadata.modified()?;
        let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let br = file.with_file_name(format!("{name}.br"));
        let gz = file.with_file_name(format!("{name}.gz"));
        let fresh = |variant: &Path| std::fs::metadata(variant).and_then(|m| m.modified()).is_ok_and(|m| m >= modified);
        if same_quality && fresh(&br) && fresh(&gz) {
            continue;
        }
        let bytes = std::fs::read(&file)?;
        let mut compressed = Vec::new();
        // A window no larger than the file keeps small files fast to compress.
        let lgwin = (usize::BITS - bytes.len().leading_zeros()).clamp(16, 22) as i32;
        let params = brotli::enc::BrotliEncoderParams { quality, lgwin, size_hint: bytes.len(), ..Default::default() };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut compressed, &params)?;
        std::fs::write(&br, &compressed)?;
        let level = if quality >= 11 { flate2::Compression::best() } else { flate2::Compression::fast() };
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
        encoder.write_all(&bytes)?;
        std::fs::write(&gz, encoder.finish()?)?;
    }
    std::fs::write(&marker, quality.to_string())?;
    Ok(())
}

/// A short hash of every file of the site (names and contents): it changes
/// whenever anything served changes, so URLs under it can be cached forever.
fn site_fingerprint(site: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    site_files(site, &mut files)?;
    let mut hasher = Sha256::new();
    for file in files {
        if is_variant(&file) || file.file_name().is_some_and(|n| n == BUILD_ID_FILE) {
            continue;
        }
        hasher.update(file.strip_prefix(site)?.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(&file)?);
    }
    let digest = hasher.finalize();
    Ok(digest.iter().take(6).map(|b| format!("{b:02x}")).collect())
}

/// Copies a file unless the destination already holds it (same size, not older):
/// untouched files keep their compressed variants from one build to the next.
fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let source = std::fs::metadata(from).with_context(|| format!("{} absent", from.display()))?;
    if let Ok(existing) = std::fs::metadata(to) {
        if existing.len() == source.len() && existing.modified()? >= source.modified()? {
            return Ok(());
        }
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

/// Prints the size of the browser bundle: raw, gzip and brotli (as served),
/// the main module first, then each group's part, then the chunks they share.
fn print_sizes(pkg: &Path) -> Result<()> {
    let mut chunks: Vec<String> = std::fs::read_dir(pkg)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".wasm") && name != "emjpm_bg.wasm")
        .collect();
    chunks.sort_by_key(|name| (!name.starts_with("split_"), name.clone()));
    let files = ["emjpm_bg.wasm", "emjpm.js", "emjpm.css", SPLIT_LOADER].map(String::from).into_iter().chain(chunks);
    let size = |name: &str| std::fs::metadata(pkg.join(name)).map(|m| m.len()).ok();
    let (mut raw, mut brotli) = (0, 0);
    for file in files {
        let Some(bytes) = size(&file) else { anyhow::bail!("{file} absent") };
        // Files under 1 KB are not compressed (see precompress).
        let br = size(&format!("{file}.br")).unwrap_or(bytes);
        if file.ends_with(".wasm") {
            raw += bytes;
            brotli += br;
        }
        println!("  {file:<40} {bytes:>8} octets, {:>8} en gzip, {br:>8} en brotli", size(&format!("{file}.gz")).unwrap_or(bytes),);
    }
    println!("  {:<40} {raw:>8} octets, {:>8}    {brotli:>8} en brotli", "wasm en tout", "");
    Ok(())
}
