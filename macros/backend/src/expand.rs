//! Expansion: ast -> Rust tokens that call `::pycall::__private` (and through it, PyO3).

use crate::ast::*;
use crate::resolve::{Resolution, Storage};
use crate::unparse::{Spelling, unparse};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Expands a parsed and resolved `py!` input.
///
/// ```
/// use pycall_backend::{expand, parse, resolve};
/// let mut input = parse::parse_input("x + 1".parse().unwrap()).unwrap();
/// let resolution = resolve::resolve(&mut input.body).map_err(|_| ()).unwrap();
/// let code = expand::expand_input(&input, &resolution).map_err(|_| ()).unwrap().to_string();
/// assert!(code.contains("PyAnyMethods :: add"));
/// ```
pub fn expand_input(input: &Input, res: &Resolution) -> Result<TokenStream, Vec<syn::Error>> {
    let mut rust_values = HashMap::new();
    for stmt in &input.stmts {
        collect_stmt_rust_values(stmt, &mut rust_values);
    }
    collect_rust_values(&input.body, &mut rust_values);
    let x = Expander {
        res,
        p: quote!(::pycall::__private),
        py: Ident::new("py", Span::call_site()),
        counter: Cell::new(0),
        deferred_depth: Cell::new(0),
        rust_values,
        errors: RefCell::new(Vec::new()),
        loops: RefCell::new(Vec::new()),
        boundaries: RefCell::new(Vec::new()),
        exceptions: RefCell::new(Vec::new()),
    };
    let p = &x.p;
    let py = &x.py;
    let declarations = x.declare_locals(ScopeId(0));
    let statements = x.stmts(&input.stmts);
    let body = x.expr(&input.body);
    let errors = x.errors.into_inner();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut source = unparse(&input.body, Spelling::Python);
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
            #[allow(unused_imports)]
            use #p::{PyAnyMethods as _, ToPyArg as _};
            #declarations
            #statements
            #[allow(unreachable_code)]
            let __value = #body;
            ::core::result::Result::Ok(__value)
        }
    };
    let call = match &input.target {
        None => quote! { #p::evaluate(#py, &__PYCALL_SITE, #closure) },
        Some(ty) => {
            let name = quote!(#ty).to_string();
            quote! { #p::evaluate_as::<#ty, _>(#py, &__PYCALL_SITE, #name, #closure) }
        }
    };
    let mixed = Span::mixed_site();
    Ok(quote_spanned! {mixed=>
        {
            #site
            #call
        }
    })
}

fn collect_stmt_rust_values(stmt: &Stmt, out: &mut HashMap<usize, TokenStream>) {
    crate::ast::visit::stmt_exprs(stmt, |e| collect_rust_values(e, out));
    if let Stmt::AugAssign {
        load: Some(name), ..
    } = stmt
    {
        collect_rust_values(&Expr::Name(name.clone()), out);
    }
    crate::ast::visit::stmt_blocks(stmt, |block| {
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
        _ => crate::ast::visit::child_exprs(expr, |c| collect_rust_values(c, out)),
    }
}

struct Expander<'r> {
    res: &'r Resolution,
    p: TokenStream,
    py: Ident,
    counter: Cell<usize>,
    deferred_depth: Cell<usize>,
    rust_values: HashMap<usize, TokenStream>,
    errors: RefCell<Vec<syn::Error>>,
    /// The labels of the enclosing Python loops: (break, continue).
    loops: RefCell<Vec<(syn::Lifetime, syn::Lifetime)>>,
    /// For each closure the statements are in (a `try` or `with` body): how many loops were
    /// open outside it. `break`, `continue` and `return` cross it as a `Flow` value.
    boundaries: RefCell<Vec<usize>>,
    /// The exceptions being handled (`except` blocks), innermost last, for a bare `raise`.
    exceptions: RefCell<Vec<Ident>>,
}

impl Expander<'_> {
    fn temp(&self, hint: &str) -> Ident {
        let n = self.counter.get();
        self.counter.set(n + 1);
        format_ident!("__{}{}", hint, n, span = Span::mixed_site())
    }

    fn local_ident(&self, id: LocalId) -> Ident {
        format_ident!("__py{}", id.0, span = Span::mixed_site())
    }

    fn capture_ident(&self, k: usize) -> Ident {
        format_ident!("__rs{}", k, span = Span::mixed_site())
    }

    fn error(&self, err: syn::Error) -> TokenStream {
        self.errors.borrow_mut().push(err);
        quote!(::core::unreachable!())
    }

    /// `let` statements for the locals a scope owns (parameters are bound by their caller).
    fn declare_locals(&self, scope: ScopeId) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let mut out = TokenStream::new();
        for &id in &self.res.scope(scope).locals {
            let ident = self.local_ident(id);
            if self.res.local(id).is_param {
                continue;
            }
            match self.res.local(id).storage {
                Storage::Param => {}
                Storage::Optional => out.extend(quote! {
                    #[allow(unused_mut, unused_assignments)]
                    let mut #ident: ::core::option::Option<#p::pyo3::Bound<'_, #p::pyo3::PyAny>> = ::core::option::Option::None;
                }),
                Storage::Cell => out.extend(quote! {
                    let #ident = #p::cell_new(#py)?;
                }),
            }
        }
        out
    }

    fn cached(&self, make: TokenStream) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        quote! {{
            static __K: #p::pyo3::sync::PyOnceLock<#p::pyo3::Py<#p::pyo3::PyAny>> = #p::pyo3::sync::PyOnceLock::new();
            #p::constant(#py, &__K, |#py| #make)?
        }}
    }

    /// The code that makes a cacheable constant once.
    fn constant_maker(&self, value: &ConstValue) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match value {
            ConstValue::Int(digits) => quote!(#p::make_int(#py, #digits)),
            ConstValue::Float(f) => {
                let bits = f.to_bits();
                quote!(::core::result::Result::Ok(#p::make_float(#py, #bits)))
            }
            ConstValue::Imag(f) => {
                let bits = f.to_bits();
                quote!(::core::result::Result::Ok(#p::make_imag(#py, #bits)))
            }
            ConstValue::Str(s) => quote!(::core::result::Result::Ok(#p::make_str(#py, #s))),
            ConstValue::Bytes(b) => {
                let lit = proc_macro2::Literal::byte_string(b);
                quote!(::core::result::Result::Ok(#p::make_bytes(#py, #lit)))
            }
            ConstValue::None | ConstValue::Bool(_) | ConstValue::Ellipsis => {
                quote!(::core::result::Result::Err(#p::internal_error()))
            }
        }
    }

    fn constant(&self, value: &ConstValue) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match value {
            ConstValue::None => quote!(#p::none(#py)),
            ConstValue::Bool(b) => quote!(#p::boolean(#py, #b)),
            ConstValue::Ellipsis => quote!(#p::ellipsis(#py)),
            other => self.cached(self.constant_maker(other)),
        }
    }

    fn builtin(&self, name: &str) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        quote! {{
            static __B: #p::pyo3::sync::PyOnceLock<#p::pyo3::Py<#p::pyo3::PyAny>> = #p::pyo3::sync::PyOnceLock::new();
            #p::builtin(#py, &__B, #name)?
        }}
    }

    /// `value.attr` on a Rust value (not a deferred scope's copy): reads a `#[derive(Class)]`
    /// field directly when the value's type has one of that name, else looks the attribute up.
    fn direct_attribute(&self, a: &crate::ast::Attribute) -> Option<TokenStream> {
        let tokens = match &*a.value {
            Expr::Name(n)
                if matches!(n.binding, Binding::Rust | Binding::Unresolved)
                    && n.rust_capture.is_none() =>
            {
                let ident = n.rust_ident();
                quote!(#ident)
            }
            Expr::Rust(r) if r.capture.is_none() => r.tokens.clone(),
            _ => return None,
        };
        let p = &self.p;
        let py = &self.py;
        let attr = &a.attr;
        let key = crate::derive::class::field_key(attr);
        let v = self.temp("v");
        Some(quote! {{
            let #v = &(#tokens);
            #[allow(unused_imports)]
            use #p::{AttrDirect as _, AttrNone as _};
            match (&#p::AttrOf::<#key, _>(#v)).pycall_direct(#py, #attr) {
                ::core::option::Option::Some(__r) => __r?,
                ::core::option::Option::None => {
                    #p::PyAnyMethods::getattr(&(#v).to_py_arg(#py)?, #p::intern!(#py, #attr))?
                }
            }
        }})
    }

    /// A Rust value: converted in place, or read from a deferred scope's copy.
    fn rust_value(&self, tokens: TokenStream, capture: Option<usize>) -> TokenStream {
        let py = &self.py;
        match capture {
            Some(k) => {
                let ident = self.capture_ident(k);
                quote!(#ident.bind(#py).clone())
            }
            None => quote!((#tokens).to_py_arg(#py)?),
        }
    }

    fn name(&self, name: &Name) -> TokenStream {
        let p = &self.p;
        let id_text = &name.id;
        match name.binding {
            Binding::Builtin => self.builtin(&name.id),
            Binding::Rust | Binding::Unresolved => {
                let ident = name.rust_ident();
                self.rust_value(quote!(#ident), name.rust_capture)
            }
            Binding::Local(id) => {
                let ident = self.local_ident(id);
                let top = self.res.local(id).scope == ScopeId(0);
                match self.res.local(id).storage {
                    Storage::Param => quote!(#ident.clone()),
                    Storage::Optional => quote!(#p::load(&#ident, #id_text, #top)?),
                    Storage::Cell => quote!(#p::cell_get(&#ident, #id_text, #top)?),
                }
            }
            Binding::LocalOrOuter(id, outer) => {
                let ident = self.local_ident(id);
                let fallback = match outer {
                    Outer::Builtin => self.builtin(&name.id),
                    Outer::Rust => {
                        let user = name.rust_ident();
                        self.rust_value(quote!(#user), name.rust_capture)
                    }
                };
                let slot = match self.res.local(id).storage {
                    Storage::Cell => quote!(#p::cell_get_opt(&#ident)?),
                    _ => quote!(::core::clone::Clone::clone(&#ident)),
                };
                quote! {
                    match #slot {
                        ::core::option::Option::Some(__v) => __v,
                        ::core::option::Option::None => #fallback,
                    }
                }
            }
        }
    }

    /// Stores `value` (a local `Bound`, not used afterwards) into a target.
    fn assign(&self, target: &Expr, value: &Ident) -> TokenStream {
        let p = &self.p;
        match target {
            Expr::Name(name) => self.assign_name(name, value, true),
            Expr::Tuple(t) | Expr::List(t) => {
                let star = t.elts.iter().position(|e| matches!(e, Expr::Starred(_)));
                let n = t.elts.len();
                let before = star.unwrap_or(n);
                let after = match star {
                    Some(i) => {
                        let after = n - i - 1;
                        quote!(::core::option::Option::Some(#after))
                    }
                    None => quote!(::core::option::Option::None),
                };
                let parts: Vec<Ident> = (0..n).map(|_| self.temp("part")).collect();
                let assigns = t.elts.iter().zip(&parts).map(|(elt, part)| {
                    let inner = match elt {
                        Expr::Starred(s) => &*s.value,
                        other => other,
                    };
                    self.assign(inner, part)
                });
                quote! {
                    let [#(#parts),*] = #p::parts::<#n>(#p::unpack(&#value, #before, #after)?)?;
                    #(#assigns)*
                }
            }
            Expr::Attribute(a) => {
                let obj = self.expr(&a.value);
                let attr = &a.attr;
                let py = &self.py;
                quote! { #p::PyAnyMethods::setattr(&#obj, #p::intern!(#py, #attr), &#value)?; }
            }
            Expr::Subscript(s) => {
                let obj = self.expr(&s.value);
                let key = self.expr(&s.slice);
                quote! { #p::PyAnyMethods::set_item(&#obj, &#key, &#value)?; }
            }
            other => self.error(other.range().error(format!(
                "cannot assign to {}",
                crate::parse::describe_target(other)
            ))),
        }
    }

    /// Stores `value` into a variable; `consume`: the value is not used afterwards (moved, not
    /// cloned).
    fn assign_name(&self, name: &Name, value: &Ident, consume: bool) -> TokenStream {
        let p = &self.p;
        let id = match name.binding {
            Binding::Local(id) | Binding::LocalOrOuter(id, _) => id,
            _ => {
                return self.error(syn::Error::new(
                    name.span,
                    "internal error: unbound assignment target",
                ));
            }
        };
        let ident = self.local_ident(id);
        match self.res.local(id).storage {
            Storage::Param if consume => quote! { #ident = #value; },
            Storage::Param => quote! { #ident = #value.clone(); },
            Storage::Optional if consume => {
                quote! { #ident = ::core::option::Option::Some(#value); }
            }
            Storage::Optional => quote! { #ident = ::core::option::Option::Some(#value.clone()); },
            Storage::Cell => quote! { #p::cell_set(&#ident, &#value)?; },
        }
    }

    /// `expr` as a `&Bound` for an operation that only reads it: variables, builtins and
    /// constants are borrowed where they live instead of cloned (one reference-count round trip
    /// less each). `rebinds` says the surrounding node contains `:=`, which may reassign a
    /// variable while it is borrowed; then everything is evaluated into an owned temporary.
    fn operand(&self, expr: &Expr, rebinds: bool) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match expr {
            Expr::Constant(c)
                if matches!(
                    c.value,
                    ConstValue::Int(_)
                        | ConstValue::Float(_)
                        | ConstValue::Imag(_)
                        | ConstValue::Str(_)
                        | ConstValue::Bytes(_)
                ) =>
            {
                let make = self.constant_maker(&c.value);
                quote! {{
                    static __K: #p::pyo3::sync::PyOnceLock<#p::pyo3::Py<#p::pyo3::PyAny>> = #p::pyo3::sync::PyOnceLock::new();
                    #p::constant_ref(#py, &__K, |#py| #make)?
                }}
            }
            Expr::Name(n) => match n.binding {
                Binding::Builtin => {
                    let name = &n.id;
                    quote! {{
                        static __B: #p::pyo3::sync::PyOnceLock<#p::pyo3::Py<#p::pyo3::PyAny>> = #p::pyo3::sync::PyOnceLock::new();
                        #p::builtin_ref(#py, &__B, #name)?
                    }}
                }
                Binding::Local(id) if !rebinds => {
                    let ident = self.local_ident(id);
                    let name = &n.id;
                    let top = self.res.local(id).scope == ScopeId(0);
                    match self.res.local(id).storage {
                        Storage::Param => quote!(&#ident),
                        Storage::Optional => quote!(#p::load_ref(&#ident, #name, #top)?),
                        Storage::Cell => {
                            let owned = self.expr(expr);
                            quote!(&#owned)
                        }
                    }
                }
                _ => {
                    let owned = self.expr(expr);
                    quote!(&#owned)
                }
            },
            _ => {
                let owned = self.expr(expr);
                quote!(&#owned)
            }
        }
    }

    fn expr(&self, expr: &Expr) -> TokenStream {
        crate::deep(|| self.expr_level(expr))
    }

    fn expr_level(&self, expr: &Expr) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match expr {
            Expr::Constant(c) => self.constant(&c.value),
            Expr::Name(n) => self.name(n),
            Expr::Rust(r) => self.rust_value(r.tokens.clone(), r.capture),
            Expr::NamedExpr(e) => {
                let v = self.temp("v");
                let value = self.expr(&e.value);
                let store = self.assign_name(&e.target, &v, false);
                quote! {{ let #v = #value; #store #v }}
            }
            Expr::BoolOp(e) => self.bool_op(e.op, &e.values),
            Expr::BinOp(e) => {
                let (l, r) = (self.temp("l"), self.temp("r"));
                let rebinds = contains_walrus(expr);
                let left = self.operand(&e.left, rebinds);
                let right = self.operand(&e.right, rebinds);
                let function = e.op.function();
                let op = quote!(#p::#function(#l, #r));
                quote! {{ let #l = #left; let #r = #right; #op? }}
            }
            Expr::UnaryOp(e) => {
                let v = self.temp("v");
                let operand = self.operand(&e.operand, contains_walrus(expr));
                let function = e.op.function();
                let op = quote!(#p::#function(#v));
                quote! {{ let #v = #operand; #op? }}
            }
            Expr::IfExp(e) => {
                let test = self.operand(&e.test, contains_walrus(&e.test));
                let body = self.expr(&e.body);
                let orelse = self.expr(&e.orelse);
                quote! { if #p::truthy(#test)? { #body } else { #orelse } }
            }
            Expr::Compare(c) => self.compare(c),
            Expr::Attribute(a) => {
                if let Some(direct) = self.direct_attribute(a) {
                    return direct;
                }
                let value = self.operand(&a.value, false);
                let attr = &a.attr;
                quote! { #p::PyAnyMethods::getattr(#value, #p::intern!(#py, #attr))? }
            }
            Expr::Subscript(s) => {
                let (v, k) = (self.temp("v"), self.temp("k"));
                let rebinds = contains_walrus(expr);
                let value = self.operand(&s.value, rebinds);
                let key = self.operand(&s.slice, rebinds);
                quote! {{ let #v = #value; let #k = #key; #p::PyAnyMethods::get_item(#v, #k)? }}
            }
            Expr::Slice(s) => {
                let part = |e: &Option<Box<Expr>>| match e {
                    Some(e) => {
                        let e = self.expr(e);
                        quote!(::core::option::Option::Some(#e))
                    }
                    None => quote!(::core::option::Option::None),
                };
                let (lower, upper, step) = (part(&s.lower), part(&s.upper), part(&s.step));
                quote!(#p::slice(#py, #lower, #upper, #step)?)
            }
            Expr::Tuple(t) => self.sequence(&t.elts, SeqKind::Tuple),
            Expr::List(t) => self.sequence(&t.elts, SeqKind::List),
            Expr::Set(t) => self.sequence(&t.elts, SeqKind::Set),
            Expr::Dict(d) => self.dict(d),
            Expr::Call(c) => self.call(c),
            Expr::Starred(s) => self.error(s.range.error("cannot use starred expression here")),
            Expr::Lambda(l) => self.lambda(l),
            Expr::ListComp(c) => {
                let elt = &c.elt;
                self.comprehension(c.scope, &c.generators, CompKind::List, &|x: &Self| {
                    vec![x.expr(elt)]
                })
            }
            Expr::SetComp(c) => {
                let elt = &c.elt;
                self.comprehension(c.scope, &c.generators, CompKind::Set, &|x: &Self| {
                    vec![x.expr(elt)]
                })
            }
            Expr::DictComp(c) => {
                let (key, value) = (&c.key, &c.value);
                self.comprehension(c.scope, &c.generators, CompKind::Dict, &|x: &Self| {
                    vec![x.expr(key), x.expr(value)]
                })
            }
            Expr::GeneratorExp(c) => self.generator(c),
            Expr::JoinedStr(j) => self.joined(&j.values),
        }
    }

    fn bool_op(&self, op: BoolOperator, values: &[Expr]) -> TokenStream {
        let p = &self.p;
        let Some((first, rest)) = values.split_first() else {
            return self.error(syn::Error::new(
                Span::call_site(),
                "empty boolean operation",
            ));
        };
        let first = self.expr(first);
        if rest.is_empty() {
            return first;
        }
        let rest = self.bool_op(op, rest);
        let v = self.temp("v");
        match op {
            BoolOperator::And => {
                quote! {{ let #v = #first; if #p::truthy(&#v)? { #rest } else { #v } }}
            }
            BoolOperator::Or => {
                quote! {{ let #v = #first; if #p::truthy(&#v)? { #v } else { #rest } }}
            }
        }
    }

    fn compare(&self, c: &Compare) -> TokenStream {
        let rebinds = std::iter::once(&*c.left)
            .chain(&c.comparators)
            .any(contains_walrus);
        let left = self.operand(&c.left, rebinds);
        let a = self.temp("a");
        let chain = self.compare_rest(&a, &c.ops, &c.comparators, rebinds);
        quote! {{ let #a = #left; #chain }}
    }

    /// `a op0 c0 op1 c1…` where `a` is already evaluated.
    fn compare_rest(
        &self,
        a: &Ident,
        ops: &[(CmpOp, Span)],
        comparators: &[Expr],
        rebinds: bool,
    ) -> TokenStream {
        let p = &self.p;
        let (Some(((op, _), ops_rest)), Some((right, comparators_rest))) =
            (ops.split_first(), comparators.split_first())
        else {
            return self.error(syn::Error::new(Span::call_site(), "empty comparison"));
        };
        let b = self.temp("b");
        let right = self.operand(right, rebinds);
        let result = match op.function() {
            Comparison::Rich(name) => {
                let name = Ident::new(name, Span::call_site());
                quote!(#p::PyAnyMethods::rich_compare(#a, #b, #p::pyo3::basic::CompareOp::#name)?)
            }
            Comparison::Infallible(function) => quote!(#p::#function(#a, #b)),
            Comparison::Fallible(function) => quote!(#p::#function(#a, #b)?),
        };
        if ops_rest.is_empty() {
            return quote! {{ let #b = #right; #result }};
        }
        let r = self.temp("r");
        let rest = self.compare_rest(&b, ops_rest, comparators_rest, rebinds);
        quote! {{
            let #b = #right;
            let #r = #result;
            if #p::truthy(&#r)? { #rest } else { #r }
        }}
    }

    fn sequence(&self, elts: &[Expr], kind: SeqKind) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let has_star = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !has_star {
            // Every element is evaluated before the display is built, as in CPython.
            let values: Vec<TokenStream> = elts.iter().map(|e| self.expr(e)).collect();
            return match kind {
                SeqKind::Tuple => quote!(#p::tuple(#py, ::std::vec![#(#values),*])?),
                SeqKind::List => quote!(#p::list(#py, ::std::vec![#(#values),*])?),
                SeqKind::Set => quote!(#p::set(#py, ::std::vec![#(#values),*])?),
            };
        }
        let acc = self.temp("acc");
        let steps = elts.iter().map(|e| match (e, kind) {
            (Expr::Starred(s), SeqKind::Set) => {
                let v = self.expr(&s.value);
                quote! { #p::set_extend(&#acc, &#v)?; }
            }
            (Expr::Starred(s), _) => {
                let v = self.expr(&s.value);
                quote! { #p::list_extend(&#acc, &#v)?; }
            }
            (other, SeqKind::Set) => {
                let v = self.expr(other);
                quote! { #p::pyo3::types::PySetMethods::add(&#acc, #v)?; }
            }
            (other, _) => {
                let v = self.expr(other);
                quote! { #p::pyo3::types::PyListMethods::append(&#acc, #v)?; }
            }
        });
        let (init, finish) = match kind {
            SeqKind::Set => (quote!(#p::new_set(#py)?), quote!(#acc.into_any())),
            SeqKind::List => (quote!(#p::new_list(#py)), quote!(#acc.into_any())),
            SeqKind::Tuple => (quote!(#p::new_list(#py)), quote!(#p::list_to_tuple(#acc))),
        };
        quote! {{ let #acc = #init; #(#steps)* #finish }}
    }

    fn dict(&self, d: &Dict) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let acc = self.temp("acc");
        // Runs of `key: value` pairs are evaluated whole before they are inserted (CPython's
        // BUILD_MAP); each `**mapping` is merged where it stands.
        let mut steps = Vec::new();
        let mut pending: Vec<(Ident, Ident)> = Vec::new();
        let flush = |pending: &mut Vec<(Ident, Ident)>, steps: &mut Vec<TokenStream>| {
            for (kt, vt) in pending.drain(..) {
                steps.push(quote! { #p::pyo3::types::PyDictMethods::set_item(&#acc, #kt, #vt)?; });
            }
        };
        for (k, v) in d.keys.iter().zip(&d.values) {
            match k {
                Some(k) => {
                    let (kt, vt) = (self.temp("k"), self.temp("v"));
                    let key = self.expr(k);
                    let value = self.expr(v);
                    steps.push(quote! { let #kt = #key; let #vt = #value; });
                    pending.push((kt, vt));
                }
                None => {
                    flush(&mut pending, &mut steps);
                    let value = self.expr(v);
                    steps.push(quote! { #p::dict_update(&#acc, &#value)?; });
                }
            }
        }
        flush(&mut pending, &mut steps);
        quote! {{ let #acc = #p::new_dict(#py); #(#steps)* #acc.into_any() }}
    }

    /// Whether evaluating `expr` can neither fail nor have an effect (so it may move past an
    /// attribute lookup).
    fn is_plain(expr: &Expr) -> bool {
        match expr {
            Expr::Constant(_) => true,
            // `$name` is a conversion; `$(…)` may run any Rust code.
            Expr::Rust(r) => r.name.is_some(),
            // Making a lambda evaluates its defaults.
            Expr::Lambda(l) => {
                l.args.defaults.is_empty() && l.args.kw_defaults.iter().all(Option::is_none)
            }
            Expr::Name(n) => matches!(n.binding, Binding::Rust | Binding::Builtin),
            _ => false,
        }
    }

    fn kwnames(&self, names: &[String]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        if names.is_empty() {
            return quote!(::core::option::Option::None);
        }
        quote! {{
            static __KW: #p::pyo3::sync::PyOnceLock<#p::pyo3::Py<#p::pyo3::types::PyTuple>> = #p::pyo3::sync::PyOnceLock::new();
            ::core::option::Option::Some(#p::kwnames(#py, &__KW, &[#(#names),*])?)
        }}
    }

    fn call(&self, c: &Call) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let unpacks = c.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || c.keywords.iter().any(|k| k.arg.is_none());
        let names: Vec<String> = c
            .keywords
            .iter()
            .filter_map(|k| k.arg.as_ref().map(|(n, _)| n.clone()))
            .collect();
        if !unpacks {
            let values: Vec<&Expr> = c
                .args
                .iter()
                .chain(c.keywords.iter().map(|k| &k.value))
                .collect();
            let temps: Vec<Ident> = values.iter().map(|_| self.temp("a")).collect();
            let rebinds = contains_walrus(&c.func) || values.iter().any(|v| contains_walrus(v));
            let evals = values.iter().zip(&temps).map(|(e, t)| {
                let e = self.operand(e, rebinds);
                quote! { let #t = #e; }
            });
            let kwnames = self.kwnames(&names);
            if let Expr::Attribute(attr) = &*c.func
                && values.iter().all(|v| Self::is_plain(v))
            {
                let obj = self.temp("o");
                let value = self.operand(&attr.value, rebinds);
                let name = &attr.attr;
                return quote! {{
                    let #obj = #value;
                    #(#evals)*
                    #p::call_method(#py, #p::intern!(#py, #name), [#obj, #(#temps),*], #kwnames)?
                }};
            }
            let f = self.temp("f");
            let func = self.operand(&c.func, rebinds);
            return quote! {{
                let #f = #func;
                #(#evals)*
                #p::call(#py, [#f, #(#temps),*], #kwnames)?
            }};
        }
        let f = self.temp("f");
        let args = self.temp("args");
        let func = self.expr(&c.func);
        // CPython evaluates every positional argument (starred or not) before the keywords.
        let positional = c.args.iter().map(|a| match a {
            Expr::Starred(s) => {
                let v = self.expr(&s.value);
                quote! { #args.extend(&#f, &#v)?; }
            }
            other => {
                let v = self.expr(other);
                quote! { #args.push(#v); }
            }
        });
        let keywords = c.keywords.iter().map(|k| match &k.arg {
            Some((name, _)) => {
                let v = self.expr(&k.value);
                quote! { #args.keyword(&#f, #p::intern!(#py, #name), #v)?; }
            }
            None => {
                let v = self.expr(&k.value);
                quote! { #args.unpack(&#f, &#v)?; }
            }
        });
        quote! {{
            let #f = #func;
            let mut #args = #p::CallArgs::new(#py);
            #(#positional)*
            #(#keywords)*
            #args.call(&#f)?
        }}
    }

    /// Code run before a deferred scope's closure is made: copies of what it captures.
    /// What a deferred scope (lambda, generator) captures, as a list the Python object keeps
    /// (so the garbage collector sees it): the values to put in it, made before the object,
    /// and the statements that take them out again inside the closure (`captures` names the
    /// closure's `&[Py<PyAny>]` parameter).
    fn captures(
        &self,
        scope: ScopeId,
        own_cells: bool,
        captures: &Ident,
    ) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let py = &self.py;
        let info = self.res.scope(scope);
        let mut values = Vec::new();
        let mut inside = TokenStream::new();
        let own: Vec<LocalId> = if own_cells {
            info.locals.clone()
        } else {
            Vec::new()
        };
        for id in info.captured_cells.iter().chain(&own) {
            let ident = self.local_ident(*id);
            let index = values.len();
            values.push(quote!(#ident.clone().unbind()));
            inside.extend(quote! { let #ident = #p::capture(#py, #captures, #index)?.clone(); });
        }
        let outermost = self.deferred_depth.get() == 0;
        for k in &info.captured_rust {
            let ident = self.capture_ident(*k);
            let index = values.len();
            if outermost {
                let tokens = self.rust_values.get(k).cloned().unwrap_or_default();
                values.push(quote!((#tokens).to_py_arg(#py)?.unbind()));
            } else {
                values.push(quote!(#ident.clone_ref(#py)));
            }
            inside.extend(
                quote! { let #ident = #p::capture(#py, #captures, #index)?.clone().unbind(); },
            );
        }
        (quote!(::std::vec![#(#values),*]), inside)
    }

    fn in_deferred<T>(&self, f: impl FnOnce() -> T) -> T {
        self.deferred_depth.set(self.deferred_depth.get() + 1);
        let out = f();
        self.deferred_depth.set(self.deferred_depth.get() - 1);
        out
    }

    fn lambda(&self, l: &Lambda) -> TokenStream {
        self.function_object("<lambda>", &l.args, l.scope, || {
            let body = self.expr(&l.body);
            quote! {
                let __value = #body;
                ::core::result::Result::Ok(__value)
            }
        })
    }

    /// A `pycall.function` (a lambda or a `def`): `body` makes the code that runs it, ending
    /// in a `return` of its value, expanded inside the function's scope.
    fn function_object(
        &self,
        name: &str,
        args: &Arguments,
        scope_id: ScopeId,
        body: impl FnOnce() -> TokenStream,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let positional: Vec<&Arg> = args.posonlyargs.iter().chain(&args.args).collect();
        let positional_names: Vec<&str> = positional.iter().map(|a| a.arg.as_str()).collect();
        let kwonly_names: Vec<&str> = args.kwonlyargs.iter().map(|a| a.arg.as_str()).collect();
        let posonly = args.posonlyargs.len();
        let varargs = args.vararg.is_some();
        let varkw = args.kwarg.is_some();
        let defaults = args.defaults.iter().map(|d| {
            let d = self.expr(d);
            quote!(#d.unbind())
        });
        let kw_defaults = args.kw_defaults.iter().map(|d| match d {
            Some(d) => {
                let d = self.expr(d);
                quote!(::core::option::Option::Some(#d.unbind()))
            }
            None => quote!(::core::option::Option::None),
        });
        let captures = self.temp("captures");
        let (capture_values, inside) = self.captures(scope_id, false, &captures);
        // Parameters in the order bind_arguments produces them.
        let params: Vec<&Arg> = args.params().collect();
        let n = params.len();
        let temps: Vec<Ident> = params.iter().map(|_| self.temp("param")).collect();
        let scope = self.res.scope(scope_id);
        let bind_params = params.iter().zip(&temps).map(|(arg, t)| {
            let id = scope
                .locals
                .iter()
                .copied()
                .find(|id| self.res.local(*id).name == arg.arg);
            let Some(id) = id else {
                return TokenStream::new();
            };
            let ident = self.local_ident(id);
            match self.res.local(id).storage {
                Storage::Cell => quote! { let #ident = #p::cell_with(&#t)?; },
                _ => quote! { #[allow(unused_mut)] let mut #ident = #t; },
            }
        });
        let bind_params: Vec<TokenStream> = bind_params.collect();
        let (declarations, body) = self.in_deferred(|| {
            // The function's own variables (its parameters are bound above).
            let declarations = self.declare_locals(scope_id);
            (declarations, body())
        });
        quote! {{
            static __SPEC: #p::LambdaSpec = #p::LambdaSpec {
                name: #name,
                positional: &[#(#positional_names),*],
                posonly: #posonly,
                varargs: #varargs,
                kwonly: &[#(#kwonly_names),*],
                varkw: #varkw,
            };
            let __defaults: ::std::vec::Vec<#p::pyo3::Py<#p::pyo3::PyAny>> = ::std::vec![#(#defaults),*];
            let __kw_defaults: ::std::vec::Vec<::core::option::Option<#p::pyo3::Py<#p::pyo3::PyAny>>> = ::std::vec![#(#kw_defaults),*];
            #p::lambda::<#n, _>(#py, &__SPEC, __defaults, __kw_defaults, #capture_values, |#py, #captures, __params| {
                #[allow(unused_imports)]
                use #p::{PyAnyMethods as _, ToPyArg as _};
                let [#(#temps),*] = __params;
                #(#bind_params)*
                #inside
                #declarations
                #body
            })?
        }}
    }

    fn comprehension(
        &self,
        scope: ScopeId,
        generators: &[Comprehension],
        kind: CompKind,
        element: &dyn Fn(&Self) -> Vec<TokenStream>,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let Some((first, _)) = generators.split_first() else {
            return self.error(syn::Error::new(
                Span::call_site(),
                "comprehension without `for`",
            ));
        };
        let first_iter = self.expr(&first.iter);
        let iter0 = self.temp("iter");
        let acc = self.temp("acc");
        let declarations = self.declare_locals(scope);
        let values = element(self);
        let add = match kind {
            CompKind::List => {
                let v = &values[0];
                quote! { #p::pyo3::types::PyListMethods::append(&#acc, #v)?; }
            }
            CompKind::Set => {
                let v = &values[0];
                quote! { #p::pyo3::types::PySetMethods::add(&#acc, #v)?; }
            }
            CompKind::Dict => {
                let (k, v) = (&values[0], &values[1]);
                let (kt, vt) = (self.temp("k"), self.temp("v"));
                quote! { let #kt = #k; let #vt = #v; #p::pyo3::types::PyDictMethods::set_item(&#acc, #kt, #vt)?; }
            }
        };
        let mut body = add;
        for (i, g) in generators.iter().enumerate().rev() {
            let item = self.temp("item");
            let assign = self.assign(&g.target, &item);
            let conds = g.ifs.iter().map(|c| {
                let c = self.expr(c);
                quote! { if !#p::truthy(&#c)? { continue; } }
            });
            let source = if i == 0 {
                quote!(&#iter0)
            } else {
                let it = self.expr(&g.iter);
                quote!(&#it)
            };
            body = quote! {
                for #item in #p::ForIter::new(#source)? {
                    let #item = #item?;
                    #assign
                    #(#conds)*
                    #body
                }
            };
        }
        let init = match kind {
            CompKind::List => quote!(#p::new_list(#py)),
            CompKind::Set => quote!(#p::new_set(#py)?),
            CompKind::Dict => quote!(#p::new_dict(#py)),
        };
        quote! {{
            let #iter0 = #first_iter;
            #declarations
            let #acc = #init;
            #body
            #acc.into_any()
        }}
    }

    fn generator(&self, c: &Comp) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let Some((first, _)) = c.generators.split_first() else {
            return self.error(c.range.error("generator expression without `for`"));
        };
        let first_iter = self.expr(&first.iter);
        let first_value = self.temp("first");
        let declarations = self.declare_locals(c.scope);
        let captures = self.temp("captures");
        let (capture_values, inside) = self.captures(c.scope, true, &captures);
        let level = self.temp("level");
        let item = self.temp("item");
        let arms = self.in_deferred(|| {
            let last = c.generators.len() - 1;
            c.generators
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    let assign = self.assign(&g.target, &item);
                    let conds = g.ifs.iter().map(|cond| {
                        let cond = self.expr(cond);
                        quote! {
                            if !#p::truthy(&#cond)? {
                                return ::core::result::Result::Ok(#p::GenStep::Skip);
                            }
                        }
                    });
                    let outcome = if i == last {
                        let elt = self.expr(&c.elt);
                        quote!(#p::GenStep::Yield(#elt))
                    } else {
                        let next_iter = self.expr(&c.generators[i + 1].iter);
                        quote!(#p::GenStep::Descend(#next_iter))
                    };
                    quote! { #i => { #assign #(#conds)* ::core::result::Result::Ok(#outcome) } }
                })
                .collect::<Vec<_>>()
        });
        quote! {{
            let #first_value = #first_iter;
            #declarations
            #p::generator(#py, &#first_value, #capture_values, |#py, #captures, #level, #item| {
                #[allow(unused_imports)]
                use #p::{PyAnyMethods as _, ToPyArg as _};
                #inside
                match #level {
                    #(#arms)*
                    _ => ::core::result::Result::Err(#p::internal_error()),
                }
            })?
        }}
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SeqKind {
    Tuple,
    List,
    Set,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CompKind {
    List,
    Set,
    Dict,
}

fn contains_walrus(expr: &Expr) -> bool {
    expr.contains_walrus()
}

impl Expander<'_> {
    fn stmts(&self, stmts: &[Stmt]) -> TokenStream {
        stmts.iter().map(|s| self.stmt(s)).collect()
    }

    fn label(&self, hint: &str) -> syn::Lifetime {
        let n = self.counter.get();
        self.counter.set(n + 1);
        syn::Lifetime::new(&format!("'__pycall_{hint}{n}"), Span::mixed_site())
    }

    /// A loop body with its break and continue labels in scope.
    fn in_loop(&self, labels: (syn::Lifetime, syn::Lifetime), body: &[Stmt]) -> TokenStream {
        self.loops.borrow_mut().push(labels);
        let out = self.stmts(body);
        self.loops.borrow_mut().pop();
        out
    }

    fn stmt(&self, stmt: &Stmt) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match stmt {
            Stmt::Expr(e) => {
                let e = self.expr(e);
                quote! {
                    #[allow(unreachable_code)]
                    let _ = #e;
                }
            }
            Stmt::Assign { targets, value, .. } => {
                let v = self.temp("v");
                let value = self.expr(value);
                let mut out = quote! { let #v = #value; };
                let last = targets.len().saturating_sub(1);
                for (i, target) in targets.iter().enumerate() {
                    if i == last {
                        out.extend(self.assign(target, &v));
                    } else {
                        let copy = self.temp("v");
                        out.extend(quote! { let #copy = #v.clone(); });
                        out.extend(self.assign(target, &copy));
                    }
                }
                out
            }
            Stmt::AugAssign { target, op, value, load, .. } => {
                let code = op.inplace();
                let code = quote!(#p::#code);
                let (current, result) = (self.temp("cur"), self.temp("res"));
                match target {
                    Expr::Name(name) => {
                        let Some(load) = load else {
                            return self.error(syn::Error::new(name.span, "internal error: unresolved augmented target"));
                        };
                        let read = self.name(load);
                        let value = self.expr(value);
                        let store = self.assign_name(name, &result, true);
                        quote! {
                            let #current = #read;
                            let #result = #p::inplace(&#current, &#value, #code)?;
                            #store
                        }
                    }
                    Expr::Attribute(a) => {
                        let obj = self.temp("o");
                        let value_obj = self.expr(&a.value);
                        let attr = &a.attr;
                        let value = self.expr(value);
                        quote! {
                            let #obj = #value_obj;
                            let #current = #p::PyAnyMethods::getattr(&#obj, #p::intern!(#py, #attr))?;
                            let #result = #p::inplace(&#current, &#value, #code)?;
                            #p::PyAnyMethods::setattr(&#obj, #p::intern!(#py, #attr), #result)?;
                        }
                    }
                    Expr::Subscript(sub) => {
                        let (obj, key) = (self.temp("o"), self.temp("k"));
                        let value_obj = self.expr(&sub.value);
                        let key_value = self.expr(&sub.slice);
                        let value = self.expr(value);
                        quote! {
                            let #obj = #value_obj;
                            let #key = #key_value;
                            let #current = #p::PyAnyMethods::get_item(&#obj, &#key)?;
                            let #result = #p::inplace(&#current, &#value, #code)?;
                            #p::PyAnyMethods::set_item(&#obj, &#key, #result)?;
                        }
                    }
                    other => self.error(other.range().error("illegal expression for augmented assignment")),
                }
            }
            Stmt::Delete { targets, .. } => targets.iter().map(|t| self.delete(t)).collect(),
            Stmt::Assert { test, msg, .. } => {
                let test = self.operand(test, false);
                let msg = match msg {
                    Some(m) => {
                        let m = self.expr(m);
                        quote!(::core::option::Option::Some(#m))
                    }
                    None => quote!(::core::option::Option::None),
                };
                quote! {
                    if !#p::truthy(#test)? {
                        return ::core::result::Result::Err(#p::assertion_error(#msg));
                    }
                }
            }
            Stmt::Raise { exc, cause, range } => {
                let Some(exc) = exc else {
                    return match self.exceptions.borrow().last() {
                        Some(current) => quote! { return ::core::result::Result::Err(#current.clone_ref(#py)); },
                        None => self.error(range.error(
                            "a bare `raise` re-raises the exception being handled: use it inside `except`",
                        )),
                    };
                };
                let exc = self.expr(exc);
                let cause = match cause {
                    Some(c) => {
                        let c = self.expr(c);
                        quote!(::core::option::Option::Some(#c))
                    }
                    None => quote!(::core::option::Option::None),
                };
                quote! { return ::core::result::Result::Err(#p::raise(#exc, #cause)); }
            }
            Stmt::Pass(_) => TokenStream::new(),
            Stmt::Break(range) | Stmt::Continue(range) => {
                let is_break = matches!(stmt, Stmt::Break(_));
                let loops = self.loops.borrow();
                let Some((break_label, continue_label)) = loops.last() else {
                    return if is_break {
                        self.error(range.error("`break` outside loop"))
                    } else {
                        self.error(range.error("`continue` not properly in loop"))
                    };
                };
                let index = loops.len() - 1;
                let crosses = self.boundaries.borrow().last().is_some_and(|b| index < *b);
                match (crosses, is_break) {
                    (true, true) => quote! { return ::core::result::Result::Ok(#p::Flow::Break(#index)); },
                    (true, false) => quote! { return ::core::result::Result::Ok(#p::Flow::Continue(#index)); },
                    (false, true) => quote! { break #break_label; },
                    (false, false) => quote! { continue #continue_label; },
                }
            }
            Stmt::Return { value, .. } => {
                let value = match value {
                    Some(v) => self.expr(v),
                    None => quote!(#p::none(#py)),
                };
                if self.boundaries.borrow().is_empty() {
                    quote! {
                        let __returned = #value;
                        return ::core::result::Result::Ok(__returned);
                    }
                } else {
                    quote! {
                        let __returned = #value;
                        return ::core::result::Result::Ok(#p::Flow::Return(__returned));
                    }
                }
            }
            Stmt::Try { body, handlers, orelse, finalbody, .. } => self.try_stmt(body, handlers, orelse, finalbody),
            Stmt::FunctionDef { name, args, body, scope, .. } => {
                let function = self.function_object(&name.id, args, *scope, || {
                    // A function body is a world of its own: no loop, `try` or `except` of
                    // the block around it is in reach.
                    let saved = (self.loops.take(), self.boundaries.take(), self.exceptions.take());
                    let statements = self.stmts(body);
                    self.loops.replace(saved.0);
                    self.boundaries.replace(saved.1);
                    self.exceptions.replace(saved.2);
                    quote! {
                        #statements
                        #[allow(unreachable_code)]
                        return ::core::result::Result::Ok(#p::none(#py));
                    }
                });
                let value = self.temp("function");
                let store = self.assign_name(name, &value, true);
                quote! {
                    let #value = #function;
                    #store
                }
            }
            Stmt::With { context, target, body, .. } => {
                let (manager, exit, value, result) =
                    (self.temp("mgr"), self.temp("exit"), self.temp("entered"), self.temp("result"));
                let context = self.expr(context);
                let assign = match target {
                    Some(t) => self.assign(t, &value),
                    None => TokenStream::new(),
                };
                let body = self.in_boundary(|| self.stmts(body));
                let dispatch = self.dispatch(&result);
                quote! {
                    let #manager = #context;
                    let (#exit, #value) = #p::enter(&#manager)?;
                    #assign
                    let #result = #p::boundary(#py, |#py| {
                        #body
                        #[allow(unreachable_code)]
                        return ::core::result::Result::Ok(#p::Flow::Normal);
                    });
                    let #result = #p::exit(#py, &#exit, #result);
                    #dispatch
                }
            }
            Stmt::Import { names, .. } => names
                .iter()
                .map(|alias| {
                    let module = &alias.name;
                    let top = alias.asname.is_none() && module.contains('.');
                    let m = self.temp("m");
                    let store = self.store_alias(alias, &m);
                    quote! {
                        let #m = {
                            static __M: #p::pyo3::sync::PyOnceLock<#p::pyo3::Py<#p::pyo3::PyAny>> = #p::pyo3::sync::PyOnceLock::new();
                            #p::import_cached(#py, &__M, #module, #top)?
                        };
                        #store
                    }
                })
                .collect(),
            Stmt::ImportFrom { module, names, .. } => {
                let m = self.temp("m");
                let stores = names.iter().map(|alias| {
                    let value = self.temp("v");
                    let name = &alias.name;
                    let store = self.store_alias(alias, &value);
                    quote! {
                        let #value = #p::import_from(&#m, #name)?;
                        #store
                    }
                });
                quote! {
                    let #m = {
                        static __M: #p::pyo3::sync::PyOnceLock<#p::pyo3::Py<#p::pyo3::PyAny>> = #p::pyo3::sync::PyOnceLock::new();
                        #p::import_cached(#py, &__M, #module, false)?
                    };
                    #(#stores)*
                }
            }
            Stmt::If { test, body, orelse, .. } => {
                let test = self.operand(test, false);
                let body = self.stmts(body);
                let orelse = self.stmts(orelse);
                quote! { if #p::truthy(#test)? { #body } else { #orelse } }
            }
            Stmt::For { target, iter, body, orelse, .. } => {
                let (break_label, continue_label) = (self.label("break"), self.label("next"));
                let (iterable, item) = (self.temp("iterable"), self.temp("item"));
                let source = self.expr(iter);
                let assign = self.assign(target, &item);
                let body = self.in_loop((break_label.clone(), continue_label.clone()), body);
                let orelse = self.stmts(orelse);
                quote! {
                    #break_label: {
                        let #iterable = #source;
                        #continue_label: for #item in #p::ForIter::new(&#iterable)? {
                            let #item = #item?;
                            #assign
                            #body
                        }
                        #orelse
                    }
                }
            }
            Stmt::While { test, body, orelse, .. } => {
                let (break_label, continue_label) = (self.label("break"), self.label("next"));
                let test = self.operand(test, false);
                let body = self.in_loop((break_label.clone(), continue_label.clone()), body);
                let orelse = self.stmts(orelse);
                let py = &self.py;
                quote! {
                    #break_label: {
                        #continue_label: loop {
                            #p::tick(#py)?;
                            if !#p::truthy(#test)? {
                                #orelse
                                break #break_label;
                            }
                            #body
                        }
                    }
                }
            }
        }
    }

    fn store_alias(&self, alias: &Alias, value: &Ident) -> TokenStream {
        let name = Name {
            id: alias.bound_name().to_owned(),
            span: alias.range.start,
            ident: Ident::new("import", alias.range.start),
            binding: alias.binding,
            rust_capture: None,
        };
        self.assign_name(&name, value, true)
    }

    fn delete(&self, target: &Expr) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match target {
            Expr::Name(name) => {
                let id_text = &name.id;
                let (Binding::Local(id) | Binding::LocalOrOuter(id, _)) = name.binding else {
                    return self.error(syn::Error::new(
                        name.span,
                        format!("name `{id_text}` is not a Python variable of this block"),
                    ));
                };
                let ident = self.local_ident(id);
                let top = self.res.local(id).scope == ScopeId(0);
                match self.res.local(id).storage {
                    Storage::Optional => quote! { #p::delete(&mut #ident, #id_text, #top)?; },
                    Storage::Cell => quote! { #p::cell_delete(&#ident, #id_text, #top)?; },
                    Storage::Param => self.error(syn::Error::new(
                        name.span,
                        "cannot delete a lambda parameter",
                    )),
                }
            }
            Expr::Tuple(t) | Expr::List(t) => t.elts.iter().map(|e| self.delete(e)).collect(),
            Expr::Attribute(a) => {
                let obj = self.expr(&a.value);
                let attr = &a.attr;
                quote! { #p::PyAnyMethods::delattr(&#obj, #p::intern!(#py, #attr))?; }
            }
            Expr::Subscript(s) => {
                let (o, k) = (self.temp("o"), self.temp("k"));
                let obj = self.expr(&s.value);
                let key = self.expr(&s.slice);
                quote! { let #o = #obj; let #k = #key; #p::PyAnyMethods::del_item(&#o, &#k)?; }
            }
            other => self.error(other.range().error("cannot delete this")),
        }
    }
}

impl Expander<'_> {
    /// Statements that run inside a closure of their own (a `try` or `with` body).
    fn in_boundary<T>(&self, f: impl FnOnce() -> T) -> T {
        let open_loops = self.loops.borrow().len();
        self.boundaries.borrow_mut().push(open_loops);
        let out = f();
        self.boundaries.borrow_mut().pop();
        out
    }

    /// Acts on the `PyResult<Flow>` a boundary closure returned: an error propagates; `break`,
    /// `continue` and `return` take effect here, or travel on to an outer boundary.
    fn dispatch(&self, result: &Ident) -> TokenStream {
        let p = &self.p;
        let loops = self.loops.borrow();
        let outer = self.boundaries.borrow().last().copied();
        let visible = outer.unwrap_or(0)..loops.len();
        let index = self.temp("i");
        let breaks = visible.clone().map(|i| {
            let label = &loops[i].0;
            let lit = proc_macro2::Literal::usize_unsuffixed(i);
            quote! { #lit => break #label, }
        });
        let continues = visible.map(|i| {
            let label = &loops[i].1;
            let lit = proc_macro2::Literal::usize_unsuffixed(i);
            quote! { #lit => continue #label, }
        });
        let (pass_break, pass_continue, on_return) = if outer.is_some() {
            (
                quote!(return ::core::result::Result::Ok(#p::Flow::Break(#index))),
                quote!(return ::core::result::Result::Ok(#p::Flow::Continue(#index))),
                quote!(return ::core::result::Result::Ok(#p::Flow::Return(__returned))),
            )
        } else {
            (
                quote!(return ::core::result::Result::Err(#p::internal_error())),
                quote!(return ::core::result::Result::Err(#p::internal_error())),
                quote!(return ::core::result::Result::Ok(__returned)),
            )
        };
        quote! {
            #[allow(unreachable_patterns)]
            match #result? {
                #p::Flow::Normal => {}
                #p::Flow::Break(#index) => match #index {
                    #(#breaks)*
                    _ => #pass_break,
                },
                #p::Flow::Continue(#index) => match #index {
                    #(#continues)*
                    _ => #pass_continue,
                },
                #p::Flow::Return(__returned) => #on_return,
            }
        }
    }

    fn try_stmt(
        &self,
        body: &[Stmt],
        handlers: &[ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let (outer, inner, error) = (self.temp("outer"), self.temp("inner"), self.temp("e"));
        let body = self.in_boundary(|| self.stmts(body));
        let (orelse, handlers) = self.in_boundary(|| {
            let orelse = self.stmts(orelse);
            self.exceptions.borrow_mut().push(error.clone());
            let handlers: Vec<TokenStream> = handlers
                .iter()
                .map(|h| {
                    let matches = match &h.type_ {
                        Some(t) => {
                            let t = self.expr(t);
                            quote!(#p::exception_matches(#py, &#error, &#t)?)
                        }
                        None => quote!(true),
                    };
                    let value = self.temp("exc");
                    let (bind, unbind) = match &h.name {
                        Some(name) => {
                            let bind = self.assign_name(name, &value, true);
                            let unbind = self.unbind(name);
                            (bind, unbind)
                        }
                        None => (TokenStream::new(), TokenStream::new()),
                    };
                    let handled = self.temp("handled");
                    let handler_body = self.in_boundary(|| self.stmts(&h.body));
                    quote! {
                        if #matches {
                            let #value = #p::exception_value(#py, &#error);
                            #bind
                            let #handled = #p::boundary(#py, |#py| {
                                #handler_body
                                #[allow(unreachable_code)]
                                return ::core::result::Result::Ok(#p::Flow::Normal);
                            });
                            #unbind
                            return #handled;
                        }
                    }
                })
                .collect();
            self.exceptions.borrow_mut().pop();
            (orelse, handlers)
        });
        let finalbody = self.stmts(finalbody);
        let dispatch = self.dispatch(&outer);
        quote! {
            let #outer = #p::boundary(#py, |#py| {
                let #inner = #p::boundary(#py, |#py| {
                    #body
                    #[allow(unreachable_code)]
                    return ::core::result::Result::Ok(#p::Flow::Normal);
                });
                match #inner {
                    ::core::result::Result::Ok(#p::Flow::Normal) => {
                        #orelse
                        #[allow(unreachable_code)]
                        return ::core::result::Result::Ok(#p::Flow::Normal);
                    }
                    ::core::result::Result::Ok(__other) => ::core::result::Result::Ok(__other),
                    ::core::result::Result::Err(#error) => {
                        #(#handlers)*
                        #[allow(unreachable_code)]
                        return ::core::result::Result::Err(#error);
                    }
                }
            });
            #finalbody
            #dispatch
        }
    }

    /// Python's implicit `del name` at the end of `except … as name`.
    fn unbind(&self, name: &Name) -> TokenStream {
        let p = &self.p;
        let (Binding::Local(id) | Binding::LocalOrOuter(id, _)) = name.binding else {
            return TokenStream::new();
        };
        let ident = self.local_ident(id);
        match self.res.local(id).storage {
            Storage::Cell => quote! { #p::cell_clear(&#ident)?; },
            _ => quote! { #ident = ::core::option::Option::None; },
        }
    }
}

impl Expander<'_> {
    /// An f-string: its pieces formatted and joined.
    fn joined(&self, parts: &[FPart]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        // Only text (a constant format spec, say): one cached string.
        if parts.iter().all(|part| matches!(part, FPart::Literal(_))) {
            let text: String = parts
                .iter()
                .map(|part| match part {
                    FPart::Literal(text) => text.as_str(),
                    FPart::Field(_) => "",
                })
                .collect();
            return self.constant(&ConstValue::Str(text));
        }
        let pieces: Vec<TokenStream> = parts
            .iter()
            .map(|part| match part {
                FPart::Literal(text) => self.constant(&ConstValue::Str(text.clone())),
                FPart::Field(f) => {
                    let value = self.operand(&f.value, contains_walrus(&f.value));
                    let conversion = f.conversion.map_or(0u8, |c| c as u8);
                    let spec = match &f.format_spec {
                        Some(spec) => {
                            let spec = self.joined(spec);
                            quote!(::core::option::Option::Some(#spec))
                        }
                        None => quote!(::core::option::Option::None),
                    };
                    quote!(#p::format_value(#value, #conversion, #spec)?)
                }
            })
            .collect();
        // A single field is already the string (`format` always returns one).
        if let [single] = pieces.as_slice() {
            return single.clone();
        }
        quote!(#p::join_str(#py, [#(#pieces),*])?)
    }
}
