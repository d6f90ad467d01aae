//! Diagnostics: the one error collector that every phase past parsing and every derive reports
//! to, so that a user sees all of their errors at once (serde's `Ctxt`).

use proc_macro2::{Span, TokenStream};
use std::cell::RefCell;

/// The errors found so far. Reporting takes `&self`, so a phase can hand it to the closures it
/// expands with.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    pub(crate) fn push(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    pub(crate) fn error(&self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    /// An error covering a whole node (its first to its last token).
    pub(crate) fn spanned(&self, node: impl quote::ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(node, message));
    }

    /// How many errors have been reported so far (to tell whether a part added any).
    pub(crate) fn count(&self) -> usize {
        self.errors.borrow().len()
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.count() > 0
    }

    /// Every error reported, in order.
    pub(crate) fn into_errors(self) -> Vec<syn::Error> {
        self.errors.into_inner()
    }

    /// A `compile_error!` for each error reported, in order.
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.into_errors()
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}
