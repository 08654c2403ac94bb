//! A small page writer: text in the built-in Liberation Sans fonts (see [`crate::font`]),
//! line wrapping and right-aligned columns from the fonts' advance widths, rules, and page
//! breaks. Coordinates are whole points (A4 portrait) so that no float arithmetic is
//! needed; they are converted to the PDF's numbers at the last step.

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::font::{compress, Face, FontError};

/// A4 width in points.
pub(crate) const PAGE_W: i32 = 595;
/// A4 height in points.
pub(crate) const PAGE_H: i32 = 842;
/// Left and right margin.
pub(crate) const MARGIN: i32 = 50;
const TOP: i32 = PAGE_H - 56;
const BOTTOM: i32 = 64;

/// Regular or bold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Font {
    Regular,
    Bold,
}

impl Font {
    fn name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }

    fn index(self) -> usize {
        match self {
            Font::Regular => 0,
            Font::Bold => 1,
        }
    }
}

#[allow(clippy::cast_precision_loss)]
fn pt(x: i32) -> f32 {
    x as f32
}

/// A document being written, page by page, top to bottom.
pub(crate) struct Doc {
    pages: Vec<Content>,
    /// Regular and bold, with the glyphs used so far.
    faces: [Face; 2],
    /// The first text that could not be drawn (the document is then refused).
    error: Option<FontError>,
    /// Baseline of the next line, points from the bottom.
    pub(crate) y: i32,
}

impl Doc {
    /// An empty document.
    ///
    /// # Errors
    ///
    /// [`FontError::Font`] if the built-in fonts cannot be read (a defect of the build).
    pub(crate) fn new() -> Result<Self, FontError> {
        Ok(Doc {
            pages: vec![Content::new()],
            faces: [Face::load(false)?, Face::load(true)?],
            error: None,
            y: TOP,
        })
    }

    /// The first character of `text` that one of the fonts has no glyph for.
    pub(crate) fn missing(&self, text: &str) -> Option<char> {
        self.faces.iter().find_map(|f| f.missing(text))
    }

    /// Width of a text in thousandths of a point at `size` points.
    pub(crate) fn text_width(&self, text: &str, font: Font, size: i32) -> i64 {
        self.faces[font.index()].width(text) * i64::from(size)
    }

    /// Splits a text into lines no wider than `width` points (a word wider than the line
    /// stands alone on its line).
    pub(crate) fn wrap(&self, text: &str, font: Font, size: i32, width: i32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if line.is_empty()
                    || self.text_width(&candidate, font, size) <= i64::from(width) * 1000
                {
                    line = candidate;
                } else {
                    lines.push(std::mem::take(&mut line));
                    line = word.to_string();
                }
            }
            lines.push(line);
        }
        lines
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let n = self.pages.len();
        &mut self.pages[n - 1]
    }

    /// Starts a new page when fewer than `h` points are left; whether it did.
    pub(crate) fn need_page(&mut self, h: i32) -> bool {
        let n = self.pages.len();
        self.need(h);
        self.pages.len() != n
    }

    /// Starts a new page when fewer than `h` points are left.
    pub(crate) fn need(&mut self, h: i32) {
        if self.y - h < BOTTOM {
            self.pages.push(Content::new());
            self.y = TOP;
        }
    }

    /// Text at `(x, y)` (no wrapping, no cursor move). A text with a character the font
    /// has no glyph for is not drawn, and the document is refused by [`Doc::finish`].
    pub(crate) fn text_at(&mut self, x: i32, y: i32, text: &str, font: Font, size: i32) {
        self.page();
        self.text_on(self.pages.len() - 1, x, y, text, font, size);
    }

    /// Text at `(x, y)` on page `k` (0-based, existing).
    fn text_on(&mut self, k: usize, x: i32, y: i32, text: &str, font: Font, size: i32) {
        match self.faces[font.index()].encode(text) {
            Ok(codes) => {
                if let Some(page) = self.pages.get_mut(k) {
                    page.begin_text()
                        .set_font(font.name(), pt(size))
                        .next_line(pt(x), pt(y))
                        .show(Str(&codes))
                        .end_text();
                }
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }

    /// Text ending at `x_right` on the current line.
    pub(crate) fn text_right(&mut self, x_right: i32, text: &str, font: Font, size: i32) {
        let w = i32::try_from(self.text_width(text, font, size) / 1000).unwrap_or(0);
        let y = self.y;
        self.text_at(x_right - w, y, text, font, size);
    }

    /// A wrapped paragraph from `x` to the right margin; moves the cursor below it.
    pub(crate) fn para(&mut self, x: i32, text: &str, font: Font, size: i32) {
        self.para_in(x, PAGE_W - MARGIN, text, font, size);
    }

    /// A wrapped paragraph from `x` to `right`; moves the cursor below it.
    pub(crate) fn para_in(&mut self, x: i32, right: i32, text: &str, font: Font, size: i32) {
        let lead = size + size / 3 + 1;
        for line in self.wrap(text, font, size, right - x) {
            self.need(lead);
            let y = self.y;
            self.text_at(x, y, &line, font, size);
            self.y -= lead;
        }
    }

    /// Moves the cursor down.
    pub(crate) fn skip(&mut self, h: i32) {
        self.y -= h;
    }

    /// A horizontal rule across the text width, just above the cursor.
    pub(crate) fn rule(&mut self) {
        let y = self.y + 9;
        let c = self.page();
        c.set_line_width(0.5)
            .move_to(pt(MARGIN), pt(y))
            .line_to(pt(PAGE_W - MARGIN), pt(y))
            .stroke();
    }

    /// A section title on a light band.
    pub(crate) fn heading(&mut self, text: &str) {
        self.need(40);
        self.skip(6);
        let y = self.y;
        let c = self.page();
        c.set_fill_gray(0.9)
            .rect(pt(MARGIN), pt(y - 4), pt(PAGE_W - 2 * MARGIN), pt(15))
            .fill_nonzero()
            .set_fill_gray(0.0);
        self.text_at(MARGIN + 4, y, text, Font::Bold, 10);
        self.skip(20);
    }

    /// Draws the footer `footer` and the page number at the bottom of every page.
    fn footers(&mut self, footer: &str) {
        let mut y = 40;
        let mut placed = Vec::new();
        for line in self.wrap(footer, Font::Regular, 7, PAGE_W - 2 * MARGIN) {
            placed.push((MARGIN, y, line));
            y -= 9;
        }
        let n = self.pages.len();
        for k in 0..n {
            let number = (PAGE_W - MARGIN - 40, y, format!("Page {} / {n}", k + 1));
            for (x, y, text) in placed.iter().chain([&number]) {
                self.text_on(k, *x, *y, text, Font::Regular, 7);
            }
        }
    }

    /// Writes the PDF: every page with the footer `footer` and its number, the fonts
    /// subset to the glyphs drawn.
    ///
    /// # Errors
    ///
    /// [`FontError::NoGlyph`] if a text had a character the fonts have no glyph for (the
    /// first such text); [`FontError::Font`] if a font cannot be embedded.
    pub(crate) fn finish(mut self, title: &str, footer: &str) -> Result<Vec<u8>, FontError> {
        self.footers(footer);
        if let Some(e) = self.error {
            return Err(e);
        }
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let info = Ref::new(3);
        let regular = [4, 5, 6, 7, 8].map(Ref::new);
        let bold = [9, 10, 11, 12, 13].map(Ref::new);
        let mut next = 14;
        let mut alloc = || {
            let r = Ref::new(next);
            next += 1;
            r
        };
        let n = self.pages.len();
        let ids: Vec<(Ref, Ref)> = (0..n).map(|_| (alloc(), alloc())).collect();
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(ids.iter().map(|x| x.0))
            .count(i32::try_from(n).unwrap_or(i32::MAX));
        self.faces[0].write(&mut pdf, regular)?;
        self.faces[1].write(&mut pdf, bold)?;
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("mecenat"));
        for (content, (page_id, content_id)) in self.pages.into_iter().zip(ids) {
            let data = compress(&content.finish())?;
            let mut page = pdf.page(page_id);
            page.parent(tree)
                .media_box(Rect::new(0.0, 0.0, pt(PAGE_W), pt(PAGE_H)))
                .contents(content_id);
            let mut res = page.resources();
            let mut fonts = res.fonts();
            fonts.pair(Font::Regular.name(), regular[0]);
            fonts.pair(Font::Bold.name(), bold[0]);
            fonts.finish();
            res.finish();
            page.finish();
            pdf.stream(content_id, &data).filter(Filter::FlateDecode);
        }
        Ok(pdf.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_the_fonts_advances() {
        let doc = Doc::new().unwrap();
        // Liberation Sans has Helvetica's widths: "A" 667, "é" 556, "€" 556, "Ł" 556
        // thousandths of the size; bold "W" 944.
        assert_eq!(doc.text_width("A", Font::Regular, 10), 6670);
        assert_eq!(doc.text_width("éé", Font::Regular, 1), 1112);
        assert_eq!(doc.text_width("€", Font::Regular, 1), 556);
        assert_eq!(doc.text_width("Ł", Font::Regular, 1), 556);
        assert_eq!(doc.text_width("W", Font::Bold, 1), 944);
        assert!(doc.text_width("ễ", Font::Regular, 1) > 0);
    }

    #[test]
    fn coverage_of_the_fonts() {
        let doc = Doc::new().unwrap();
        let covered = "Łukasz Nguyễn Œuvre d'Élise – « Solidarité » œ € ő ű Ș ț ø ß Ωμ Жж \u{a0}\u{202f}\u{2009}’…—";
        assert_eq!(doc.missing(covered), None);
        assert_eq!(doc.missing("Association 名前"), Some('名'));
        assert_eq!(doc.missing("a\u{7}b"), Some('\u{7}'));
        // Hebrew has glyphs but would read reversed; a bidirectional override is refused.
        assert_eq!(doc.missing("שלום"), Some('ש'));
        assert_eq!(doc.missing("ab\u{202e}cd"), Some('\u{202e}'));
        // White space the font lacks (tab) is drawn as a space.
        assert_eq!(doc.missing("a\tb"), None);
    }

    #[test]
    fn a_text_without_glyphs_refuses_the_document() {
        let mut doc = Doc::new().unwrap();
        doc.text_at(50, 700, "Bien", Font::Regular, 9);
        doc.text_at(50, 680, "名前 ici", Font::Bold, 9);
        let err = doc.finish("t", "f").unwrap_err();
        assert_eq!(
            err,
            FontError::NoGlyph {
                ch: '名',
                text: "名前 ici".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "the receipt font has no glyph for '名' (U+540D) in \"名前 ici\""
        );
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let doc = Doc::new().unwrap();
        let t = "Mécénat de compétences – mise à disposition de personnel par une entreprise";
        let lines = doc.wrap(t, Font::Regular, 10, 120);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), t);
        for l in &lines {
            assert!(doc.text_width(l, Font::Regular, 10) <= 120_000 || !l.contains(' '));
        }
    }
}
