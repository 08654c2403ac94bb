//! The only place that starts threads: two-core helpers on `std::thread::scope`, with one
//! way to handle a panicked thread (its panic is resumed on the caller's thread, so that a
//! defect is never turned into a figure).

/// Runs `a` on this thread and `b` on a second one, and returns both results.
pub(crate) fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    std::thread::scope(|scope| {
        let other = scope.spawn(b);
        let ra = a();
        match other.join() {
            Ok(rb) => (ra, rb),
            Err(p) => std::panic::resume_unwind(p),
        }
    })
}

/// Applies `f` to the two halves of `items` (the first `split` items on this thread, the
/// rest on a second one) and returns both results, in order. With nothing past `split`, no
/// thread is started and the second result is `None`.
pub(crate) fn halves<'a, T, R, F>(items: &'a [T], split: usize, f: F) -> (R, Option<R>)
where
    T: Sync,
    R: Send,
    F: Fn(&'a [T], bool) -> R + Sync,
{
    let split = split.min(items.len());
    let (first, second) = items.split_at(split);
    if second.is_empty() {
        return (f(first, true), None);
    }
    let (a, b) = join(|| f(first, true), || f(second, false));
    (a, Some(b))
}

/// Renders `blocks` on two threads (blocks 0, 2, 4… and 1, 3, 5…) and hands each rendered
/// block to `write` on this thread, in order, as soon as it is ready: rendering and writing
/// overlap, and each renderer reuses the buffers `write` is done with (`write` may also keep
/// a block's bytes, taking them out of the buffer it is lent). The first error
/// (of a renderer or of `write`) stops the work and is returned.
pub(crate) fn render_in_order<T, R, W>(blocks: &[T], render: R, mut write: W) -> std::io::Result<()>
where
    T: Sync,
    R: Fn(usize, &T, &mut Vec<u8>) -> std::io::Result<()> + Sync,
    W: FnMut(&mut Vec<u8>) -> std::io::Result<()>,
{
    use std::sync::mpsc::{channel, sync_channel};
    let render = &render;
    std::thread::scope(|scope| -> std::io::Result<()> {
        let mut queues = Vec::new();
        for k in 0..2 {
            let (full_tx, full_rx) = sync_channel::<std::io::Result<Vec<u8>>>(2);
            let (empty_tx, empty_rx) = channel::<Vec<u8>>();
            scope.spawn(move || {
                for i in (k..blocks.len()).step_by(2) {
                    let mut buf = empty_rx.try_recv().unwrap_or_default();
                    buf.clear();
                    let r = render(i, &blocks[i], &mut buf).map(|()| buf);
                    let failed = r.is_err();
                    if full_tx.send(r).is_err() || failed {
                        return;
                    }
                }
            });
            queues.push((full_rx, empty_tx));
        }
        for i in 0..blocks.len() {
            let (full, empty) = &queues[i % 2];
            let buf = full
                .recv()
                .map_err(|_| std::io::Error::other("a renderer stopped"))??;
            let mut buf = buf;
            write(&mut buf)?;
            // The renderer may be done already: then the buffer is simply dropped. A
            // writer that kept the bytes (`std::mem::take`) sends back an empty one.
            let _ = empty.send(buf);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_keep_the_order_and_cover_every_item() {
        let v: Vec<u32> = (0..11).collect();
        let (a, b) = halves(&v, 6, |part, _| part.to_vec());
        assert_eq!(a, (0..6).collect::<Vec<_>>());
        assert_eq!(b, Some((6..11).collect::<Vec<_>>()));
        let (a, b) = halves(&v, 20, |part, _| part.len());
        assert_eq!((a, b), (11, None));
    }

    #[test]
    fn blocks_are_written_in_order() {
        let blocks: Vec<u32> = (0..9).collect();
        let mut out = Vec::new();
        render_in_order(
            &blocks,
            |i, b, buf| {
                buf.extend_from_slice(format!("{i}:{b};").as_bytes());
                Ok(())
            },
            |bytes| {
                out.extend_from_slice(bytes);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "0:0;1:1;2:2;3:3;4:4;5:5;6:6;7:7;8:8;"
        );
    }

    #[test]
    fn a_renderer_error_stops_and_is_returned() {
        let blocks = [1, 2, 3, 4];
        let r = render_in_order(
            &blocks,
            |_, &b, _| {
                if b == 3 {
                    Err(std::io::Error::other("bad block"))
                } else {
                    Ok(())
                }
            },
            |_| Ok(()),
        );
        assert_eq!(r.unwrap_err().to_string(), "bad block");
    }

    #[test]
    #[should_panic(expected = "second thread")]
    fn a_panic_on_the_second_thread_reaches_the_caller() {
        let _ = join(|| 1, || -> i32 { panic!("second thread") });
    }
}
