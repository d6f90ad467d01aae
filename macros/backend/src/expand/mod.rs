//! Expansion: ast -> Rust tokens that call `::pycall::__private` (and through it, PyO3). The
//! [`Expander`] here holds what every node family shares; each family expands in a file of
//! its own, one `expand_<node>` per node.

mod call;
mod display;
mod expr;
mod function;
mod names;
mod pattern;
mod stmt;

use crate::ast::visit::{child_exprs, stmt_blocks, stmt_exprs};
use crate::ast::*;
use crate::diag::Ctxt;
use crate::resolve::Resolution;
use crate::unparse::{Spelling, unparse};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Expands a parsed, checked and resolved `py!` input into the code of the macro call; what
/// goes wrong (only ever an internal error) is reported to `cx`.
pub(crate) fn expand_input(
    input: &Input,
    res: &Resolution,
    cx: &Ctxt,
    awaited: bool,
) -> TokenStream {
    let mut rust_values = HashMap::new();
    for stmt in &input.stmts {
        collect_stmt_rust_values(stmt, &mut rust_values);
    }
    collect_rust_values(&input.body, &mut rust_values);
    let x = Expander {
        res,
        cx,
        p: Ident::new("__pycall", Span::call_site()),
        py: Ident::new("py", Span::call_site()),
        counter: Cell::new(0),
        deferred_depth: Cell::new(0),
        function_scope: Cell::new(None),
        rust_values,
        frame: RefCell::new(Frame::default()),
        namespaces: RefCell::new(HashMap::new()),
        qualname: RefCell::new(String::new()),
    };
    let p = &x.p;
    let py = &x.py;
    let declarations = x.declare_locals(ScopeId(0));
    let statements = x.expand_block(&input.stmts);
    let body = x.expand_expr(&input.body);
    let mut source = unparse(&input.body, Spelling::Python);
    if awaited {
        source = format!("await {source}");
    }
    if !input.stmts.is_empty() {
        // Statements have no printer; name the block by its size and its final expression.
        let n = input.stmts.len();
        let plural = if n == 1 { "" } else { "s" };
        source = format!("{{ {n} statement{plural}; {source} }}");
    }
    let site = quote! {
        static __PYCALL_SITE: #p::Site = #p::Site {
            source: #source,
            file: ::core::file!(),
            line: ::core::line!(),
            column: ::core::column!(),
        };
    };
    let closure = quote! {
        |#py| {
            #declarations
            #statements
            #[allow(unreachable_code)]
            let __value = #body;
            #p::Ok(__value)
        }
    };
    let call = match (&input.target, awaited) {
        (None, false) => quote! { #p::evaluate(#py, &__PYCALL_SITE, #closure) },
        (Some(ty), false) => {
            let name = quote!(#ty).to_string();
            quote! { #p::evaluate_as::<#ty, _>(#py, &__PYCALL_SITE, #name, #closure) }
        }
        (None, true) => quote! { #p::evaluate_await(#py, &__PYCALL_SITE, #closure) },
        (Some(ty), true) => {
            let name = quote!(#ty).to_string();
            quote! { #p::evaluate_await_as::<#ty, _>(#py, &__PYCALL_SITE, #name, #closure) }
        }
    };
    let mixed = Span::mixed_site();
    quote_spanned! {mixed=>
        {
            // `__pycall`, and the traits the expansion's method calls resolve through: one
            // glob import (cheaper for the compiler than naming each). A `__pycall` of the
            // user's scope is shadowed by it in ordinary paths; macro paths, which a glob would
            // make ambiguous with it, are written in full (`::pycall::__private::intern!`).
            use ::pycall::__private::scope::*;
            #site
            #call
        }
    }
}

fn collect_stmt_rust_values(stmt: &Stmt, out: &mut HashMap<usize, TokenStream>) {
    stmt_exprs(stmt, |e| collect_rust_values(e, out));
    if let Stmt::AugAssign {
        load: Some(name), ..
    } = stmt
    {
        collect_rust_values(&Expr::Name(name.clone()), out);
    }
    stmt_blocks(stmt, |block| {
        for s in block {
            collect_stmt_rust_values(s, out);
        }
    });
}

/// The Rust tokens behind each captured Rust value, by capture index.
fn collect_rust_values(expr: &Expr, out: &mut HashMap<usize, TokenStream>) {
    match expr {
        Expr::Name(n) => {
            if let Some(k) = n.rust_capture {
                let ident = n.rust_ident();
                out.insert(k, quote!(#ident));
            }
        }
        Expr::Rust(r) => {
            if let Some(k) = r.capture {
                let tokens = &r.tokens;
                out.insert(k, quote!((#tokens)));
            }
        }
        _ => child_exprs(expr, |c| collect_rust_values(c, out)),
    }
}

/// What every `expand_<node>` shares: the resolution, the error collector, the names of the
/// generated code, and the [`Frame`] of the statements being expanded.
struct Expander<'a> {
    res: &'a Resolution,
    cx: &'a Ctxt,
    /// `__pycall`, the name each expansion gives `::pycall::__private` (the only door generated
    /// code goes through) in a `use` of its own: a path of one token instead of four.
    p: Ident,
    /// The `py` token (a `Python<'py>`) of the closure being generated.
    py: Ident,
    /// Numbers temporaries and labels, so that each is unique in the expansion.
    counter: Cell<usize>,
    /// How many closures (lambdas, `def`s, generators) the code being expanded is inside.
    deferred_depth: Cell<usize>,
    /// The scope of the innermost lambda or `def` being expanded (its own variables, unbound,
    /// are `UnboundLocalError`s; an enclosing one's are free variables).
    function_scope: Cell<Option<ScopeId>>,
    /// The Rust tokens of each Rust value a closure captures, by capture index.
    rust_values: HashMap<usize, TokenStream>,
    frame: RefCell<Frame>,
    /// The Rust variable holding the namespace of each class body being expanded.
    namespaces: RefCell<HashMap<ScopeId, Ident>>,
    /// The `__qualname__` prefix of the code being expanded: `outer.<locals>.` in a function,
    /// `C.` in a class body, empty at the top.
    qualname: RefCell<String>,
}

/// What kind of body the statements being expanded are in.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Body {
    /// The macro's own block.
    #[default]
    Top,
    /// A `def`'s body.
    Function,
    /// A class body, whose scope it is.
    Class(ScopeId),
}

/// Where the statements being expanded stand: the loops around them, the closures they run in
/// (`try` and `with` bodies), the exceptions being handled. A `def`'s body starts a new one.
#[derive(Default)]
struct Frame {
    /// The body the statements are in.
    body: Body,
    /// The labels of the enclosing Python loops: (break, continue).
    loops: Vec<(syn::Lifetime, syn::Lifetime)>,
    /// For each closure the statements are in (a `try` or `with` body): how many loops were
    /// open outside it. `break`, `continue` and `return` cross it as a `Flow` value.
    boundaries: Vec<usize>,
    /// The exceptions being handled (`except` blocks), innermost last, for a bare `raise`.
    exceptions: Vec<Ident>,
    /// The body of a generator (or coroutine): an `async` block, in which `try` and `with`
    /// bodies are `async` blocks too, so that a `yield` inside them can suspend it.
    resumable: bool,
    /// The body of an async generator: its `yield`s produce values for `__anext__()`.
    async_generator: bool,
}

impl Expander<'_> {
    /// A fresh hygienic name for a temporary.
    fn temp(&self, hint: &str) -> Ident {
        let n = self.counter.get();
        self.counter.set(n + 1);
        format_ident!("__{}{}", hint, n, span = Span::mixed_site())
    }

    /// A fresh label for a loop.
    fn label(&self, hint: &str) -> syn::Lifetime {
        let n = self.counter.get();
        self.counter.set(n + 1);
        syn::Lifetime::new(&format!("'__pycall_{hint}{n}"), Span::mixed_site())
    }

    /// The Rust variable of a Python variable.
    fn local_ident(&self, id: LocalId) -> Ident {
        format_ident!("__py{}", id.0, span = Span::mixed_site())
    }

    /// The Rust variable of a closure's copy of a Rust value.
    fn capture_ident(&self, k: usize) -> Ident {
        format_ident!("__rs{}", k, span = Span::mixed_site())
    }

    /// Reports an error that earlier phases should have made impossible; the code it stands
    /// in for is never compiled.
    fn internal_error(&self, error: syn::Error) -> TokenStream {
        self.cx.push(error);
        quote!(::core::unreachable!())
    }

    /// A value made once per call site and kept for the interpreter's lifetime: the `static`
    /// `PyOnceLock<Py<ty>>` named `cell`, next to the code that `read` makes to use it.
    fn cached(
        &self,
        cell: &str,
        ty: TokenStream,
        read: impl FnOnce(&Ident) -> TokenStream,
    ) -> TokenStream {
        let p = &self.p;
        let cell = Ident::new(cell, Span::call_site());
        let read = read(&cell);
        quote! {{
            static #cell: #p::pyo3::sync::PyOnceLock<#p::pyo3::Py<#ty>> = #p::pyo3::sync::PyOnceLock::new();
            #read
        }}
    }

    /// The namespace variable of a class body being expanded.
    fn class_namespace(&self, class: ScopeId) -> Ident {
        match self.namespaces.borrow().get(&class) {
            Some(ns) => ns.clone(),
            None => Ident::new("__pycall_no_namespace", Span::mixed_site()),
        }
    }

    /// Runs `f` with `prefix` as the qualified-name prefix of what it defines.
    fn with_qualname<T>(&self, prefix: String, f: impl FnOnce() -> T) -> T {
        let outer = self.qualname.replace(prefix);
        let out = f();
        self.qualname.replace(outer);
        out
    }

    /// The body's handle on its generator (see `__private::Co`).
    fn co(&self) -> Ident {
        Ident::new("__pycall_co", Span::mixed_site())
    }

    /// Statements run as a block of their own whose result (a `PyResult<Flow>`) is caught:
    /// a closure, or in a generator an `async` block, awaited at once. `body` ends by
    /// returning its flow.
    fn boundary(&self, body: TokenStream) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        if self.frame.borrow().resumable {
            quote!((async { #body }).await)
        } else {
            quote!(#p::boundary(#py, |#py| { #body }))
        }
    }

    /// [`Self::boundary`] run while `handled` (an `Option<&PyErr>` expression) is the
    /// exception being handled.
    fn handling_boundary(&self, handled: TokenStream, body: TokenStream) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        if self.frame.borrow().resumable {
            quote!(#p::handling_async(#handled, async { #body }).await)
        } else {
            quote! {
                match #handled {
                    #p::Some(__handled) => {
                        #p::handling(#py, __handled, |#py| #p::boundary(#py, |#py| { #body }))
                    }
                    #p::None => #p::boundary(#py, |#py| { #body }),
                }
            }
        }
    }

    /// Runs `f` in `frame`, then puts the current frame back.
    fn in_frame<T>(&self, frame: Frame, f: impl FnOnce() -> T) -> T {
        let outer = self.frame.replace(frame);
        let out = f();
        self.frame.replace(outer);
        out
    }
}

#[cfg(test)]
mod tests {
    fn expanded(source: &str) -> String {
        let mut input = crate::parse::parse_input(source.parse().unwrap()).unwrap();
        let cx = crate::diag::Ctxt::default();
        crate::check::check_input(&input, &cx);
        let resolution = crate::resolve::resolve_input(&mut input, &cx);
        let code = super::expand_input(&input, &resolution, &cx, false).to_string();
        assert!(!cx.has_errors());
        code
    }

    #[test]
    fn binary_operators_call_the_runtime_or_pyo3() {
        // `+ - * / // %` go through the runtime's fast paths (floats, `int`'s own slots); the
        // others are PyO3's.
        assert!(expanded("x + 1").contains("__pycall :: add ("));
        assert!(expanded("x % 2").contains("__pycall :: rem ("));
        assert!(expanded("x / / 2").contains("__pycall :: floor_div ("));
        assert!(expanded("x << 2").contains("PyAnyMethods :: lshift"));
    }

    #[test]
    fn augmented_assignment_names_the_inplace_operator() {
        assert!(expanded("x = 1; x / /= 2; x").contains("InplaceOp :: FloorDiv"));
    }
}
