//! Diagrams as PNG for DOCX: the very SVG the HTML shows, rasterised by resvg (pure Rust, no
//! external program).
//!
//! Text needs fonts, and bcp never takes them from the system silently: it loads the files
//! named in `BCP_FONTS` (paths separated like `PATH`), then the first existing file of a short
//! list of well-known Latin and CJK fonts (Debian's fonts-noto-cjk, fonts-dejavu, macOS and
//! Windows system fonts). When no font is found, or none with Chinese characters while the
//! diagrams hold some, the render still succeeds and says on stderr which labels are missing
//! and how to fix it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use resvg::usvg::{self, fontdb};

/// Well-known Latin fonts, the first found is loaded.
const LATIN: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/System/Library/Fonts/Helvetica.ttc",
    "C:\\Windows\\Fonts\\arial.ttf",
];
/// Bold faces to go with them (headings in the diagrams).
const LATIN_BOLD: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "C:\\Windows\\Fonts\\arialbd.ttf",
];
/// Well-known CJK fonts with Simplified Chinese.
const CJK: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simsun.ttc",
];
const CJK_BOLD: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "C:\\Windows\\Fonts\\msyhbd.ttc",
];

/// The fonts diagrams are drawn with, loaded once per run.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    /// The files loaded, in order.
    pub files: Vec<PathBuf>,
    /// Whether any loaded font has Chinese characters.
    pub cjk: bool,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut files: Vec<PathBuf> = std::env::var_os("BCP_FONTS")
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default();
        for list in [LATIN, LATIN_BOLD, CJK, CJK_BOLD] {
            if let Some(found) = list.iter().map(Path::new).find(|p| p.is_file()) {
                files.push(found.to_path_buf());
            }
        }
        let mut db = fontdb::Database::new();
        let mut loaded = Vec::new();
        for file in files {
            if let Ok(data) = std::fs::read(&file) {
                let before = db.len();
                db.load_font_data(data);
                if db.len() > before {
                    loaded.push(file);
                }
            }
        }
        let first = db
            .faces()
            .next()
            .and_then(|f| f.families.first())
            .map(|(name, _)| name.clone());
        if let Some(family) = first {
            db.set_sans_serif_family(family);
        }
        // A font with Chinese characters names itself in Chinese too (微软雅黑, 文泉驿,
        // Noto Sans CJK SC): fontdb reads those names, not the character map.
        let cjk = db.faces().any(|f| {
            f.families.iter().any(|(name, lang)| {
                matches!(
                    lang,
                    fontdb::Language::Chinese_PeoplesRepublicOfChina
                        | fontdb::Language::Chinese_Taiwan
                        | fontdb::Language::Chinese_HongKongSAR
                        | fontdb::Language::Chinese_Singapore
                        | fontdb::Language::Chinese_MacaoSAR
                ) || name.contains("CJK")
            })
        });
        Fonts {
            db: Arc::new(db),
            files: loaded,
            cjk,
        }
    })
}

/// What is missing for a diagram's text, in a sentence for stderr; `None` when every
/// character can be drawn.
pub fn missing_fonts(text: &str) -> Option<String> {
    let fonts = fonts();
    let help = "install fonts-dejavu and fonts-noto-cjk (Debian), or set BCP_FONTS to font files";
    if fonts.files.is_empty() {
        return Some(format!(
            "no font found for the diagrams' text (looked for DejaVu Sans, Noto Sans, Liberation Sans, Noto Sans CJK and others); the DOCX diagrams have no labels; {help}"
        ));
    }
    let has_cjk = text.chars().any(super::svg::is_wide);
    (has_cjk && !fonts.cjk).then(|| {
        format!(
            "no font with Chinese characters found (looked for Noto Sans CJK, WenQuanYi, PingFang, Microsoft YaHei); Chinese labels are missing from the DOCX diagrams; {help}"
        )
    })
}

/// A diagram rasterised at twice its CSS size, for sharp printing.
pub struct Png {
    pub bytes: Vec<u8>,
    /// The diagram's size in CSS pixels (1/96 inch).
    pub width: u32,
    pub height: u32,
}

/// The stylesheet of the diagrams, as `style.css` gives it to the HTML, with its values
/// spelled out (resvg knows no CSS variables).
const STYLE: &str = r"
text { font-family: sans-serif; fill: #1d2733; }
.axis-num { font-size: 11px; fill: #5d6b7d; }
.axis-title { font-size: 11px; font-weight: bold; fill: #5d6b7d; }
.cell-score { font-size: 9px; }
.cell-ids { font-size: 10px; font-weight: bold; }
.edge { fill: none; stroke: #9aa7b8; stroke-width: 1.4; }
.node { fill: #ffffff; stroke: #2a7ab0; stroke-width: 1.4; }
.node.root { fill: #1f3a5f; stroke: #1f3a5f; }
.on-root { fill: #ffffff; }
.node-name { font-size: 11.5px; font-weight: bold; }
.node-fallback { font-size: 9.5px; fill: #5d6b7d; }
.node-fallback.on-root { fill: #ffffff; }
.grid { stroke: #d8dee8; stroke-width: 1; }
.tick { font-size: 9.5px; fill: #5d6b7d; }
.stripe { fill: #f6f8fb; }
.row-label { font-size: 11px; }
.bar { opacity: 0.9; }
.bar.late { stroke: #c0392b; stroke-width: 2; stroke-dasharray: 4 2; }
.no-bar { font-size: 10px; font-style: italic; fill: #5d6b7d; }
.rto { fill: #1d2733; stroke: #1d2733; stroke-width: 1.5; }
";

/// Rasterises one of bcp's own diagrams (never user SVG) to PNG.
///
/// # Errors
/// A message when the SVG cannot be parsed or the image is too large to allocate.
pub fn png(svg: &str) -> Result<Png, String> {
    const SCALE: f32 = 2.0;
    let fonts = fonts();
    let options = usvg::Options {
        fontdb: Arc::clone(&fonts.db),
        style_sheet: Some(STYLE.to_string()),
        font_family: "sans-serif".to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let (width, height) = (size.width(), size.height());
    // Diagrams are at most a few thousand pixels; the casts are exact.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let scaled = |n: u32| (n as f32 * SCALE).ceil() as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(scaled(width), scaled(height))
        .ok_or_else(|| format!("a {width} x {height} diagram is too large to draw"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok(Png {
        bytes,
        width,
        height,
    })
}
