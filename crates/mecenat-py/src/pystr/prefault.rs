//! The pages of a large new `str` faulted in on a helper thread while the writer fills it.
//!
//! A report's JSON of a million entries is a `str` of 1.16 GB (two bytes a character), and
//! each page of it is faulted in (and zeroed) when first written. On a virtual machine
//! that hands its free memory back to the host (virtio-balloon free page reporting, the
//! kind this project runs on), that first touch is served by the host: up to 2.4 s a
//! gigabyte, on the one thread that writes the text. A helper thread faults the pages in
//! from the end of the `str` backward (`MADV_POPULATE_WRITE`: as a write would, without
//! writing), while the writer goes forward from the start; each stops where the other has
//! been, so the cost is shared by the two cores. Where the kernel lacks it (before Linux
//! 5.14) the first call fails and the writer faults the pages itself, as before.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Below this, a `str` is faulted in by its writer alone (a thread costs more).
const MIN_BYTES: usize = 64 << 20;
/// Bytes faulted in by one call: between two calls the helper looks where the writer is.
const CHUNK: usize = 16 << 20;
const PAGE: usize = 4096;

/// A helper thread faulting in part of a `str`'s units; dropping it stops and joins the
/// helper, which must happen before the `str` is freed, moved or resized.
pub(super) struct Prefault {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<usize>>,
}

/// What the writer tells the helper.
#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    /// Bytes from the `str`'s first unit the writer has written.
    written: AtomicUsize,
}

impl Prefault {
    /// Starts faulting in the bytes `from..to` of the units at `data` (a `str` whose first
    /// `from` bytes are written), from `to` backward, unless they are too few. The caller
    /// must keep the units allocated until the `Prefault` is dropped.
    pub(super) fn start(data: *mut u8, from: usize, to: usize) -> Option<Prefault> {
        if to.saturating_sub(from) < MIN_BYTES || !cfg!(target_os = "linux") {
            return None;
        }
        let shared = Arc::new(Shared::default());
        shared.written.store(from, Ordering::Relaxed);
        let s = Arc::clone(&shared);
        let base = data as usize;
        let thread = std::thread::Builder::new()
            .name("mecenat-prefault".into())
            .spawn(move || populate_backward(base, base + to, &s.stop, &s.written))
            .ok()?;
        Some(Prefault {
            shared,
            thread: Some(thread),
        })
    }

    /// Tells the helper how far (in bytes from the `str`'s first unit) the writer has
    /// written.
    pub(super) fn written(&self, bytes: usize) {
        self.shared.written.store(bytes, Ordering::Relaxed);
    }
}

impl Drop for Prefault {
    /// Stops the helper and waits for it: after this, it touches the `str` no more.
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            // A panic in the helper (there is no code that could) would only mean fewer
            // pages faulted in ahead.
            let _ = t.join();
        }
    }
}

/// Faults in the pages of `from..to` (addresses) a chunk at a time from `to` backward,
/// until `stop` is set, the next chunk reaches one chunk past what the writer has written
/// (`written` bytes from `from`), or the kernel refuses; returns the lowest address
/// faulted in from (`to`'s page when none).
#[cfg(target_os = "linux")]
fn populate_backward(from: usize, to: usize, stop: &AtomicBool, written: &AtomicUsize) -> usize {
    let mut end = to / PAGE * PAGE;
    while !stop.load(Ordering::Relaxed) {
        let writer = from.saturating_add(written.load(Ordering::Relaxed));
        let floor = writer.saturating_add(CHUNK).next_multiple_of(PAGE);
        let start = end.saturating_sub(CHUNK).max(floor);
        if start >= end {
            break;
        }
        // SAFETY: `start..end` is page-aligned and lies inside `from..to`, the units of a
        // `str` that stays allocated, unmoved, until `stop` is set and this thread joined
        // (`Prefault::stop`, called before the `str` is resized, replaced or dropped).
        // MADV_POPULATE_WRITE only maps pages (zeroed ones where none were), as a write
        // fault would, and never reads or writes their contents, so it does not race with
        // the writer filling other units (or the same page).
        let rc = unsafe {
            libc::madvise(
                start as *mut libc::c_void,
                end - start,
                libc::MADV_POPULATE_WRITE,
            )
        };
        if rc != 0 {
            // EINVAL before Linux 5.14, ENOMEM/EFAULT under memory pressure: the writer
            // faults the rest in itself.
            break;
        }
        end = start;
    }
    end
}

/// Elsewhere than Linux: never started ([`Prefault::start`]).
#[cfg(not(target_os = "linux"))]
fn populate_backward(_from: usize, to: usize, _stop: &AtomicBool, _written: &AtomicUsize) -> usize {
    to
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A buffer of `n` bytes holding a pattern, and its range of addresses.
    fn pattern(n: usize) -> (Vec<u8>, usize, usize) {
        let v: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
        let from = v.as_ptr() as usize;
        (v, from, from + n)
    }

    #[test]
    fn faulting_in_never_changes_the_memory_and_stops_short_of_the_writer() {
        let (v, from, to) = pattern(3 * CHUNK + 12_345);
        let (stop, written) = (AtomicBool::new(false), AtomicUsize::new(0));
        let low = populate_backward(from, to, &stop, &written);
        // It went down to one chunk past the writer (at the start), not further.
        assert_eq!(low, (from + CHUNK).next_multiple_of(PAGE));
        assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
        // A writer already past the helper's first chunk: nothing faulted in.
        written.store(3 * CHUNK, Ordering::Relaxed);
        assert_eq!(
            populate_backward(from, to, &stop, &written),
            to / PAGE * PAGE
        );
        // Stopped: nothing either.
        written.store(0, Ordering::Relaxed);
        stop.store(true, Ordering::Relaxed);
        assert_eq!(
            populate_backward(from, to, &stop, &written),
            to / PAGE * PAGE
        );
    }

    #[test]
    fn a_helper_runs_beside_a_writer_and_stops_when_asked() {
        let n = MIN_BYTES + 3 * CHUNK;
        let mut v = vec![0u8; n];
        assert!(
            Prefault::start(v.as_mut_ptr(), 1, MIN_BYTES).is_none(),
            "too small"
        );
        let p = Prefault::start(v.as_mut_ptr(), 0, n).expect("started");
        // The writer goes forward meanwhile; the helper only maps pages.
        for (i, chunk) in v.chunks_mut(1 << 20).enumerate() {
            chunk.fill(7);
            p.written((i + 1) << 20);
        }
        drop(p);
        assert!(v.iter().all(|&b| b == 7));
    }
}
