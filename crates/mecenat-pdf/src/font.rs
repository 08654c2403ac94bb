//! The receipts' font: Liberation Sans Regular and Bold (SIL Open Font License 1.1, see
//! `fonts/LICENSE`), built into the program and embedded in each PDF as a subset of the
//! glyphs it uses. The fonts cover Latin (with Latin Extended and Vietnamese), Greek,
//! Cyrillic and Hebrew letters, the French punctuation (« », –, ’, …), the no-break and
//! narrow no-break spaces and €; their advance widths are Helvetica's and Arial's.
//!
//! Each face is written as a Type 0 font (CIDFontType2, Identity-H encoding, CIDs equal to
//! the subset's glyph ids) with a ToUnicode map, so that the text can be copied and read
//! back (pdftotext). A character the font has no glyph for is never drawn: encoding it is
//! an error ([`FontError::NoGlyph`]).

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::GlyphId;

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// Why a text cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FontError {
    /// The font has no glyph for `ch`, found in `text`.
    NoGlyph {
        /// The character.
        ch: char,
        /// The text it is in.
        text: String,
    },
    /// The built-in font could not be read or subset (a defect of the build).
    Font(String),
}

impl std::fmt::Display for FontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FontError::NoGlyph { ch, text } => {
                write!(f, "the receipt font {} in {text:?}", refusal(*ch))
            }
            FontError::Font(m) => write!(f, "the receipt font cannot be embedded: {m}"),
        }
    }
}

/// Why a character is not printed, after "the receipt font": `has no glyph for '名'
/// (U+540D)`, or `cannot print the right-to-left character 'א' (U+05D0)`; an invisible
/// character is shown by its code point only.
pub(crate) fn refusal(ch: char) -> String {
    let shown = if ch.is_control() || ch.is_whitespace() || is_right_to_left(ch) {
        format!("U+{:04X}", u32::from(ch))
    } else {
        format!("'{ch}' (U+{:04X})", u32::from(ch))
    };
    if is_right_to_left(ch) {
        format!("cannot print the right-to-left character {shown}")
    } else {
        format!("has no glyph for {shown}")
    }
}

/// Hebrew, Arabic and the other right-to-left scripts, and the bidirectional controls:
/// drawn left to right glyph by glyph they would read reversed, so they are refused
/// even where the font has glyphs (Hebrew).
fn is_right_to_left(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0590..=0x08FF
            | 0xFB1D..=0xFDFF
            | 0xFE70..=0xFEFE
            | 0x1_0800..=0x1_0FFF
            | 0x1_E800..=0x1_EFFF
            | 0x200F
            | 0x202B
            | 0x202E
            | 0x2067
    )
}

/// One face of the font as used by one document: the glyphs drawn so far, numbered in the
/// subset in the order they were first drawn.
pub(crate) struct Face {
    ttf: ttf_parser::Face<'static>,
    data: &'static [u8],
    /// PostScript name, without the subset tag.
    name: &'static str,
    bold: bool,
    upem: i64,
    space: GlyphId,
    remapper: GlyphRemapper,
    /// The character of each glyph of the subset (for the ToUnicode map), by subset id.
    chars: BTreeMap<u16, char>,
}

impl Face {
    /// Liberation Sans, regular or bold.
    pub(crate) fn load(bold: bool) -> Result<Face, FontError> {
        let (data, name) = if bold {
            (BOLD_TTF, "LiberationSans-Bold")
        } else {
            (REGULAR_TTF, "LiberationSans")
        };
        let ttf = ttf_parser::Face::parse(data, 0).map_err(|e| FontError::Font(e.to_string()))?;
        let space = ttf
            .glyph_index(' ')
            .ok_or_else(|| FontError::Font("no space glyph".into()))?;
        let upem = i64::from(ttf.units_per_em());
        Ok(Face {
            ttf,
            data,
            name,
            bold,
            upem,
            space,
            remapper: GlyphRemapper::new(),
            chars: BTreeMap::new(),
        })
    }

    /// The glyph of `c`: the font's own, or the space's for a white-space character the
    /// font has none for (tab, line break), which the page shows as a space.
    fn glyph(&self, c: char) -> Option<GlyphId> {
        if is_right_to_left(c) {
            return None;
        }
        match self.ttf.glyph_index(c) {
            Some(g) if g.0 != 0 => Some(g),
            _ if c.is_whitespace() => Some(self.space),
            _ => None,
        }
    }

    /// The first character of `text` the font has no glyph for.
    pub(crate) fn missing(&self, text: &str) -> Option<char> {
        text.chars().find(|&c| self.glyph(c).is_none())
    }

    /// Advance width of a glyph in thousandths of the font size, rounded (the widths the
    /// PDF declares, so that the page is laid out with what the reader draws).
    fn advance(&self, g: GlyphId) -> i64 {
        let adv = i64::from(self.ttf.glyph_hor_advance(g).unwrap_or(0));
        (adv * 1000 + self.upem / 2) / self.upem
    }

    /// Width of `text` in thousandths of the font size (a missing glyph counts as 0).
    pub(crate) fn width(&self, text: &str) -> i64 {
        text.chars()
            .filter_map(|c| self.glyph(c))
            .map(|g| self.advance(g))
            .sum()
    }

    /// `text` as the two-byte codes (subset glyph ids) of the Identity-H encoding; the
    /// glyphs join the subset.
    ///
    /// # Errors
    ///
    /// [`FontError::NoGlyph`] for the first character the font has no glyph for.
    pub(crate) fn encode(&mut self, text: &str) -> Result<Vec<u8>, FontError> {
        let mut out = Vec::with_capacity(2 * text.len());
        for c in text.chars() {
            let Some(g) = self.glyph(c) else {
                return Err(FontError::NoGlyph {
                    ch: c,
                    text: text.to_string(),
                });
            };
            let id = self.remapper.remap(g.0);
            // A glyph shared by several characters reads back as the first one drawn,
            // except the space's, which always reads back as a space.
            let shown = if g == self.space { ' ' } else { c };
            self.chars.entry(id).or_insert(shown);
            out.extend_from_slice(&id.to_be_bytes());
        }
        Ok(out)
    }

    /// A six-letter subset tag that depends only on the glyphs used.
    fn tag(&self) -> String {
        let mut h: u32 = 0x811c_9dc5;
        for g in self.remapper.remapped_gids() {
            for b in g.to_be_bytes() {
                h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
            }
        }
        (0..6)
            .map(|k| char::from(b'A' + u8::try_from((h >> (5 * k)) % 26).unwrap_or(0)))
            .collect()
    }

    /// In thousandths of the font size.
    fn scale(&self, v: i16) -> f32 {
        to_f32(i64::from(v) * 1000 / self.upem)
    }

    /// Writes the font's objects: the Type 0 font at `refs[0]`, then its CID font, font
    /// descriptor, font file (the subset, compressed) and ToUnicode map.
    ///
    /// # Errors
    ///
    /// [`FontError::Font`] if the subset cannot be made.
    pub(crate) fn write(&self, pdf: &mut Pdf, refs: [Ref; 5]) -> Result<(), FontError> {
        let [type0, cid, descriptor, file, cmap] = refs;
        let subset = subsetter::subset(self.data, 0, &self.remapper)
            .map_err(|e| FontError::Font(e.to_string()))?;
        let name = format!("{}+{}", self.tag(), self.name);
        let name = Name(name.as_bytes());
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        pdf.type0_font(type0)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let widths: Vec<f32> = self
            .remapper
            .remapped_gids()
            .map(|g| to_f32(self.advance(GlyphId(g))))
            .collect();
        let mut font = pdf.cid_font(cid);
        font.subtype(CidFontType::Type2)
            .base_font(name)
            .system_info(system)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        font.widths().consecutive(0, widths);
        font.finish();
        let b = self.ttf.global_bounding_box();
        let ascent = self.ttf.ascender();
        pdf.font_descriptor(descriptor)
            .name(name)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                self.scale(b.x_min),
                self.scale(b.y_min),
                self.scale(b.x_max),
                self.scale(b.y_max),
            ))
            .italic_angle(0.0)
            .ascent(self.scale(ascent))
            .descent(self.scale(self.ttf.descender()))
            .cap_height(self.scale(self.ttf.capital_height().unwrap_or(ascent)))
            .stem_v(if self.bold { 140.0 } else { 80.0 })
            .font_file2(file);
        let packed = compress(&subset)?;
        pdf.stream(file, &packed).filter(Filter::FlateDecode).pair(
            Name(b"Length1"),
            i32::try_from(subset.len()).unwrap_or(i32::MAX),
        );
        let mut map = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system);
        for (&id, &c) in &self.chars {
            map.pair(id, c);
        }
        pdf.cmap(cmap, map.finish().as_slice());
        Ok(())
    }
}

/// Deflates a stream (zlib format, as `/FlateDecode` wants).
///
/// # Errors
///
/// [`FontError::Font`] if the compressor fails (it writes to memory: it does not).
pub(crate) fn compress(data: &[u8]) -> Result<Vec<u8>, FontError> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data)
        .and_then(|()| z.finish())
        .map_err(|e| FontError::Font(format!("compression: {e}")))
}

#[allow(clippy::cast_precision_loss)]
fn to_f32(x: i64) -> f32 {
    x as f32
}
