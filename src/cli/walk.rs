//! The order in which `check` hands on what a sorted directory walk finds: in the walk's
//! order, each find as soon as everything before it is settled, so that the workers start
//! on the first files while the walk goes on. Everything but a directory is settled when
//! found. A directory holding no spec checked may be a place checked itself (see
//! [`crate::Mode::Place`]), sorted before what it holds; whether it holds one is known
//! once a spec turns up under it, else only when the walk ends (whether it is a place is
//! decided then, as its configuration is read then): what comes after it waits.

use std::collections::VecDeque;
use std::path::PathBuf;

/// What a walk found and has not handed on yet.
pub struct Walked<T> {
    /// In the walk's order.
    found: VecDeque<Found<T>>,
    /// How many were handed on: `found[i]` is the walk's `handed + i`-th find.
    handed: usize,
    /// The directories the walk is in, deepest last: (their number among the finds, depth).
    open: Vec<(usize, usize)>,
    /// Whether it found a spec.
    spec: bool,
}

enum Found<T> {
    Item(T),
    Directory { path: PathBuf, holds_spec: bool },
}

/// What is left of a walk when it ends (see [`Walked::end`]).
#[derive(Debug, PartialEq)]
pub enum Left<T> {
    Item(T),
    /// A directory that holds no spec checked.
    Directory(PathBuf),
}

impl<T> Default for Walked<T> {
    fn default() -> Walked<T> {
        Walked {
            found: VecDeque::new(),
            handed: 0,
            open: Vec::new(),
            spec: false,
        }
    }
}

impl<T> Walked<T> {
    /// The walk is at `depth`: it left the directories at that depth or deeper.
    pub fn at_depth(&mut self, depth: usize) {
        while self.open.last().is_some_and(|&(_, d)| d >= depth) {
            self.open.pop();
        }
    }

    /// A directory, at `depth`, which the walk enters.
    pub fn directory(&mut self, path: PathBuf, depth: usize) {
        self.open.push((self.handed + self.found.len(), depth));
        self.found.push_back(Found::Directory {
            path,
            holds_spec: false,
        });
    }

    /// A spec checked: the directories the walk is in hold one.
    pub fn spec(&mut self, item: T) {
        self.spec = true;
        for &(at, _) in self.open.iter().rev() {
            // (one handed on held a spec already, and so do the ones above it)
            let Some(Found::Directory { holds_spec, .. }) = at
                .checked_sub(self.handed)
                .and_then(|i| self.found.get_mut(i))
            else {
                break;
            };
            if *holds_spec {
                break;
            }
            *holds_spec = true;
        }
        self.found.push_back(Found::Item(item));
    }

    /// Anything else handed on where it was found (a file that is a place checked).
    pub fn other(&mut self, item: T) {
        self.found.push_back(Found::Item(item));
    }

    /// Whether a spec was found.
    pub fn found_spec(&self) -> bool {
        self.spec
    }

    /// The next find whose turn has come (every directory before it holds a spec).
    pub fn next_settled(&mut self) -> Option<T> {
        loop {
            if let Found::Directory {
                holds_spec: false, ..
            } = self.found.front()?
            {
                return None;
            }
            self.handed += 1;
            if let Some(Found::Item(item)) = self.found.pop_front() {
                return Some(item);
            }
        }
    }

    /// The walk is over: what it found and did not hand on, in order, without the
    /// directories that hold a spec.
    pub fn end(self) -> impl Iterator<Item = Left<T>> {
        self.found.into_iter().filter_map(|found| match found {
            Found::Item(item) => Some(Left::Item(item)),
            Found::Directory {
                holds_spec: true, ..
            } => None,
            Found::Directory { path, .. } => Some(Left::Directory(path)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled(walked: &mut Walked<&'static str>) -> Vec<&'static str> {
        std::iter::from_fn(|| walked.next_settled()).collect()
    }

    #[test]
    fn a_spec_settles_the_directories_it_is_in() {
        let mut w = Walked::default();
        w.directory("specs".into(), 0);
        assert_eq!(settled(&mut w), [""; 0]);
        w.at_depth(1);
        w.directory("specs/juno".into(), 1);
        w.at_depth(2);
        w.other("specs/juno/README.rst");
        assert_eq!(settled(&mut w), [""; 0]);
        w.spec("specs/juno/a.rst");
        assert_eq!(
            settled(&mut w),
            ["specs/juno/README.rst", "specs/juno/a.rst"]
        );
        w.at_depth(1);
        w.directory("specs/kilo".into(), 1);
        w.at_depth(2);
        w.spec("specs/kilo/b.rst");
        assert_eq!(settled(&mut w), ["specs/kilo/b.rst"]);
        assert!(w.found_spec());
        assert_eq!(w.end().count(), 0);
    }

    #[test]
    fn a_directory_without_spec_holds_back_what_follows() {
        let mut w = Walked::default();
        w.directory("specs".into(), 0);
        w.at_depth(1);
        w.spec("specs/a.rst");
        w.directory("specs/images".into(), 1);
        w.at_depth(2);
        w.other("specs/images/x.png");
        w.at_depth(1);
        w.directory("specs/juno".into(), 1);
        w.at_depth(2);
        w.spec("specs/juno/b.rst");
        assert_eq!(settled(&mut w), ["specs/a.rst"]);
        let left: Vec<Left<&str>> = w.end().collect();
        assert_eq!(
            left,
            [
                Left::Directory("specs/images".into()),
                Left::Item("specs/images/x.png"),
                Left::Item("specs/juno/b.rst"),
            ]
        );
    }

    #[test]
    fn a_walk_without_spec_leaves_every_directory() {
        let mut w = Walked::default();
        w.directory("docs".into(), 0);
        w.at_depth(1);
        w.other("docs/x.txt");
        assert_eq!(settled(&mut w), [""; 0]);
        assert!(!w.found_spec());
        let left: Vec<Left<&str>> = w.end().collect();
        assert_eq!(
            left,
            [Left::Directory("docs".into()), Left::Item("docs/x.txt")]
        );
    }
}
