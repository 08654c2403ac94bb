//! A small page writer: text in the standard Helvetica fonts (no font file embedded) with
//! the WinAnsi encoding, which covers French (é è à ç ô œ « » €), line wrapping from the
//! fonts' metrics, right-aligned columns, rules, and page breaks. Coordinates are whole
//! points (A4 portrait) so that no float arithmetic is needed; they are converted to the
//! PDF's numbers at the last step.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

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
}

/// Encodes text in WinAnsi (Windows-1252); characters outside it become `?`.
pub(crate) fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            '\u{202f}' | '\u{2009}' => b' ',
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8a,
            '‹' => 0x8b,
            'Œ' => 0x8c,
            'Ž' => 0x8e,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9a,
            '›' => 0x9b,
            'œ' => 0x9c,
            'ž' => 0x9e,
            'Ÿ' => 0x9f,
            _ => b'?',
        })
        .collect()
}

/// Helvetica and Helvetica-Bold advance widths (thousandths of the font size) of the
/// printable ASCII characters 0x20..=0x7e (Adobe's core-font metrics).
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// Width of one WinAnsi byte, thousandths of the font size. Accented letters take their
/// base letter's width (as in the fonts), other upper-half characters a typical width.
fn byte_width(b: u8, font: Font) -> i32 {
    let table = match font {
        Font::Regular => &REGULAR,
        Font::Bold => &BOLD,
    };
    let ascii = |c: u8| i32::from(table[usize::from(c - 0x20)]);
    match b {
        0x20..=0x7e => ascii(b),
        0xc0..=0xc5 => ascii(b'A'),
        0xc7 => ascii(b'C'),
        0xc8..=0xcb => ascii(b'E'),
        0xcc..=0xcf => ascii(b'I'),
        0xd1 => ascii(b'N'),
        0xd2..=0xd6 | 0xd8 => ascii(b'O'),
        0xd9..=0xdc => ascii(b'U'),
        0xdd => ascii(b'Y'),
        0xe0..=0xe5 => ascii(b'a'),
        0xe7 => ascii(b'c'),
        0xe8..=0xeb => ascii(b'e'),
        0xec..=0xef => ascii(b'i'),
        0xf1 => ascii(b'n'),
        0xf2..=0xf6 | 0xf8 => ascii(b'o'),
        0xf9..=0xfc => ascii(b'u'),
        0xfd | 0xff => ascii(b'y'),
        0xa0 => ascii(b' '),
        0x91 | 0x92 => 222,
        0x8c | 0x85 | 0x97 => 1000,
        0x9c => 944,
        _ => 556,
    }
}

/// Width of a text in thousandths of a point at `size` points.
pub(crate) fn text_width(text: &str, font: Font, size: i32) -> i32 {
    win_ansi(text)
        .iter()
        .map(|&b| byte_width(b, font))
        .sum::<i32>()
        * size
}

/// Splits a text into lines no wider than `width` points.
pub(crate) fn wrap(text: &str, font: Font, size: i32, width: i32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if line.is_empty() || text_width(&candidate, font, size) <= width * 1000 {
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

#[allow(clippy::cast_precision_loss)]
fn pt(x: i32) -> f32 {
    x as f32
}

/// A document being written, page by page, top to bottom.
pub(crate) struct Doc {
    pages: Vec<Content>,
    /// Baseline of the next line, points from the bottom.
    pub(crate) y: i32,
}

impl Doc {
    pub(crate) fn new() -> Self {
        Doc {
            pages: vec![Content::new()],
            y: TOP,
        }
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let n = self.pages.len();
        &mut self.pages[n - 1]
    }

    /// Starts a new page when fewer than `h` points are left.
    pub(crate) fn need(&mut self, h: i32) {
        if self.y - h < BOTTOM {
            self.pages.push(Content::new());
            self.y = TOP;
        }
    }

    /// Text at `(x, y)` (no wrapping, no cursor move).
    pub(crate) fn text_at(&mut self, x: i32, y: i32, text: &str, font: Font, size: i32) {
        let bytes = win_ansi(text);
        let c = self.page();
        c.begin_text()
            .set_font(font.name(), pt(size))
            .next_line(pt(x), pt(y))
            .show(Str(&bytes))
            .end_text();
    }

    /// Text ending at `x_right` on the current line.
    pub(crate) fn text_right(&mut self, x_right: i32, text: &str, font: Font, size: i32) {
        let w = text_width(text, font, size) / 1000;
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
        for line in wrap(text, font, size, right - x) {
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

    /// Writes the PDF: every page with the footer `footer` and its number.
    pub(crate) fn finish(self, title: &str, footer: &str) -> Vec<u8> {
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let mut next = 6;
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
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("mecenat"));
        for (k, (mut content, (page_id, content_id))) in
            self.pages.into_iter().zip(ids.iter().copied()).enumerate()
        {
            let lines = wrap(footer, Font::Regular, 7, PAGE_W - 2 * MARGIN);
            let mut y = 40;
            for l in &lines {
                let bytes = win_ansi(l);
                content
                    .begin_text()
                    .set_font(Font::Regular.name(), 7.0)
                    .next_line(pt(MARGIN), pt(y))
                    .show(Str(&bytes))
                    .end_text();
                y -= 9;
            }
            let num = win_ansi(&format!("Page {} / {n}", k + 1));
            content
                .begin_text()
                .set_font(Font::Regular.name(), 7.0)
                .next_line(pt(PAGE_W - MARGIN - 40), pt(y))
                .show(Str(&num))
                .end_text();
            let data = content.finish();
            let mut page = pdf.page(page_id);
            page.parent(tree)
                .media_box(Rect::new(0.0, 0.0, pt(PAGE_W), pt(PAGE_H)))
                .contents(content_id);
            let mut res = page.resources();
            let mut fonts = res.fonts();
            fonts.pair(Font::Regular.name(), regular);
            fonts.pair(Font::Bold.name(), bold);
            fonts.finish();
            res.finish();
            page.finish();
            pdf.stream(content_id, data.as_slice());
        }
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_win_ansi() {
        assert_eq!(win_ansi("é€œ«»"), vec![0xe9, 0x80, 0x9c, 0xab, 0xbb]);
        assert_eq!(win_ansi("a\u{202f}b"), b"a b".to_vec());
        assert_eq!(win_ansi("✓"), b"?".to_vec());
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let t = "Mécénat de compétences – mise à disposition de personnel par une entreprise";
        let lines = wrap(t, Font::Regular, 10, 120);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), t);
        for l in &lines {
            assert!(text_width(l, Font::Regular, 10) <= 120_000 || !l.contains(' '));
        }
    }
}
