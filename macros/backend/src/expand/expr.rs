//! Expansion, expressions: the dispatch over every expression node, constants, operators,
//! comparisons, conditionals, attributes, subscripts and slices.

use super::Expander;
use super::display::SeqKind;
use super::function::CompKind;
use crate::ast::*;
use crate::resolve::Storage;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

impl Expander<'_> {
    /// An expression, as a Rust expression of type `Bound<'py, PyAny>` that returns early with
    /// the error if Python raises.
    pub(super) fn expand_expr(&self, expr: &Expr) -> TokenStream {
        crate::deep(|| match expr {
            Expr::Constant(c) => self.expand_constant(&c.value),
            Expr::Name(n) => self.expand_name(n),
            Expr::Rust(r) => self.expand_rust_value(r.tokens.clone(), r.capture, r.name.is_some()),
            Expr::NamedExpr(e) => self.expand_named_expr(e),
            Expr::BoolOp(e) => self.expand_bool_op(e.op, &e.values),
            Expr::BinOp(e) => self.expand_bin_op(e),
            Expr::UnaryOp(e) => self.expand_unary_op(e),
            Expr::IfExp(e) => self.expand_if_exp(e),
            Expr::Compare(c) => self.expand_compare(c),
            Expr::Attribute(a) => self.expand_attribute(a),
            Expr::Subscript(s) => self.expand_subscript(s),
            Expr::Slice(s) => self.expand_slice(s),
            Expr::Tuple(t) => self.expand_sequence(&t.elts, SeqKind::Tuple),
            Expr::List(t) => self.expand_sequence(&t.elts, SeqKind::List),
            Expr::Set(t) => self.expand_sequence(&t.elts, SeqKind::Set),
            Expr::Dict(d) => self.expand_dict(d),
            Expr::Call(c) => self.expand_call(c),
            Expr::Starred(s) => self.internal_error(
                s.range
                    .error("internal error: a starred expression outside a display or a call"),
            ),
            Expr::Lambda(l) => self.expand_lambda(l),
            Expr::ListComp(c) => {
                let elt = &c.elt;
                self.expand_comprehension(c.scope, &c.generators, CompKind::List, &|x: &Self| {
                    vec![x.expand_expr(elt)]
                })
            }
            Expr::SetComp(c) => {
                let elt = &c.elt;
                self.expand_comprehension(c.scope, &c.generators, CompKind::Set, &|x: &Self| {
                    vec![x.expand_expr(elt)]
                })
            }
            Expr::DictComp(c) => {
                let (key, value) = (&c.key, &c.value);
                self.expand_comprehension(c.scope, &c.generators, CompKind::Dict, &|x: &Self| {
                    vec![x.expand_expr(key), x.expand_expr(value)]
                })
            }
            Expr::GeneratorExp(c) => self.expand_generator_exp(c),
            Expr::Yield(y) => self.expand_yield(y),
            Expr::YieldFrom(y) => self.expand_yield_from(y),
            Expr::Await(a) => self.expand_await(a),
            Expr::JoinedStr(j) => self.expand_joined_str(&j.values),
        })
    }

    /// `expr` as a `&Bound` for an operation that only reads it: variables, builtins and
    /// constants are borrowed where they live instead of cloned (one reference-count round trip
    /// less each). `rebinds` says the surrounding node contains `:=`, which may reassign a
    /// variable while it is borrowed; then everything is evaluated into an owned temporary.
    pub(super) fn expand_operand(&self, expr: &Expr, rebinds: bool) -> TokenStream {
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
                quote!({ static __K: #p::Const = #make; __K.get(#py)? })
            }
            Expr::Name(n) => match n.binding {
                Binding::Builtin => self.builtin_ref(&n.id),
                Binding::Local(id) if !rebinds => {
                    let ident = self.local_ident(id);
                    let name = &n.id;
                    let top = self.res.local(id).scope == ScopeId(0);
                    match self.res.local(id).storage {
                        Storage::Param => quote!(&#ident),
                        Storage::Optional => quote!(#p::load_ref(&#ident, #name, #top)?),
                        Storage::Cell | Storage::Slot => {
                            let owned = self.expand_expr(expr);
                            quote!(&#owned)
                        }
                    }
                }
                _ => {
                    let owned = self.expand_expr(expr);
                    quote!(&#owned)
                }
            },
            _ => {
                let owned = self.expand_expr(expr);
                quote!(&#owned)
            }
        }
    }

    /// `None`, `True`, `False` and `...` are the interpreter's own; other constants are made
    /// once per call site.
    pub(super) fn expand_constant(&self, value: &ConstValue) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match value {
            ConstValue::None => quote!(#p::none(#py)),
            ConstValue::Bool(b) => quote!(#p::boolean(#py, #b)),
            ConstValue::Ellipsis => quote!(#p::ellipsis(#py)),
            other => {
                let make = self.constant_maker(other);
                quote!({ static __K: #p::Const = #make; __K.owned(#py)? })
            }
        }
    }

    /// The `Const` a cacheable constant is kept in (see `__private::Const`).
    fn constant_maker(&self, value: &ConstValue) -> TokenStream {
        let p = &self.p;
        match value {
            ConstValue::Int(digits) => quote!(#p::Const::int(#digits)),
            ConstValue::Float(f) => {
                let bits = f.to_bits();
                quote!(#p::Const::float(#bits))
            }
            ConstValue::Imag(f) => {
                let bits = f.to_bits();
                quote!(#p::Const::imag(#bits))
            }
            ConstValue::Str(s) => quote!(#p::Const::str(#s)),
            ConstValue::Bytes(b) => {
                let lit = proc_macro2::Literal::byte_string(b);
                quote!(#p::Const::bytes(#lit))
            }
            ConstValue::None | ConstValue::Bool(_) | ConstValue::Ellipsis => {
                self.internal_error(syn::Error::new(
                    Span::call_site(),
                    "pycall: None, a bool or ... as a cached constant",
                ))
            }
        }
    }

    /// `name := value`: the value, stored and kept.
    fn expand_named_expr(&self, e: &NamedExpr) -> TokenStream {
        let v = self.temp("v");
        let value = self.expand_expr(&e.value);
        let store = self.expand_store_name(&e.target, &v, false);
        quote! {{ let #v = #value; #store #v }}
    }

    /// `a and b and c`: each value decides whether the next one is evaluated.
    fn expand_bool_op(&self, op: BoolOperator, values: &[Expr]) -> TokenStream {
        let p = &self.p;
        let Some((first, rest)) = values.split_first() else {
            return self.internal_error(syn::Error::new(
                Span::call_site(),
                "empty boolean operation",
            ));
        };
        let first = self.expand_expr(first);
        if rest.is_empty() {
            return first;
        }
        let rest = self.expand_bool_op(op, rest);
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

    fn expand_bin_op(&self, e: &BinOp) -> TokenStream {
        let p = &self.p;
        let (l, r) = (self.temp("l"), self.temp("r"));
        let rebinds = e.left.contains_walrus() || e.right.contains_walrus();
        let left = self.expand_operand(&e.left, rebinds);
        let right = self.expand_operand(&e.right, rebinds);
        let function = e.op.function();
        quote! {{ let #l = #left; let #r = #right; #p::#function(#l, #r)? }}
    }

    fn expand_unary_op(&self, e: &UnaryOp) -> TokenStream {
        let p = &self.p;
        let v = self.temp("v");
        let operand = self.expand_operand(&e.operand, e.operand.contains_walrus());
        let function = e.op.function();
        quote! {{ let #v = #operand; #p::#function(#v)? }}
    }

    fn expand_if_exp(&self, e: &IfExp) -> TokenStream {
        let test = self.expand_test(&e.test);
        let body = self.expand_expr(&e.body);
        let orelse = self.expand_expr(&e.orelse);
        quote! { if #test { #body } else { #orelse } }
    }

    /// A condition (of `if`, `while`, a ternary, a comprehension's `if`): a Rust `bool`, with
    /// `?` on the error. A single rich comparison is tested without making its `bool` object
    /// first when the operands are floats.
    pub(super) fn expand_test(&self, e: &Expr) -> TokenStream {
        let p = &self.p;
        if let Expr::Compare(c) = e
            && let ([(op, _)], [right]) = (c.ops.as_slice(), c.comparators.as_slice())
            && let Comparison::Rich(name) = op.function()
            && !e.contains_walrus()
        {
            let (a, b) = (self.temp("a"), self.temp("b"));
            let left = self.expand_operand(&c.left, false);
            let right = self.expand_operand(right, false);
            let name = Ident::new(name, Span::call_site());
            return quote! {{
                let #a = #left;
                let #b = #right;
                #p::compare_test(#a, #b, #p::pyo3::basic::CompareOp::#name)?
            }};
        }
        let test = self.expand_operand(e, e.contains_walrus());
        quote!(#p::truthy(#test)?)
    }

    /// `a < b <= c`: each comparison decides whether the next one is evaluated.
    fn expand_compare(&self, c: &Compare) -> TokenStream {
        let rebinds = std::iter::once(&*c.left)
            .chain(&c.comparators)
            .any(Expr::contains_walrus);
        let left = self.expand_operand(&c.left, rebinds);
        let a = self.temp("a");
        let chain = self.expand_comparisons(&a, &c.ops, &c.comparators, rebinds);
        quote! {{ let #a = #left; #chain }}
    }

    /// `a op0 c0 op1 c1…` where `a` is already evaluated.
    fn expand_comparisons(
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
            return self.internal_error(syn::Error::new(Span::call_site(), "empty comparison"));
        };
        let b = self.temp("b");
        if let (CmpOp::In | CmpOp::NotIn, Some(container)) = (op, self.rust_value(right))
            && ops_rest.is_empty()
        {
            return self.expand_rust_in(a, *op == CmpOp::NotIn, container);
        }
        let right = self.expand_operand(right, rebinds);
        let result = match op.function() {
            Comparison::Rich(name) => {
                let name = Ident::new(name, Span::call_site());
                quote!(#p::compare(#a, #b, #p::pyo3::basic::CompareOp::#name)?)
            }
            Comparison::Infallible(function) => quote!(#p::#function(#a, #b)),
            Comparison::Fallible(function) => quote!(#p::#function(#a, #b)?),
        };
        if ops_rest.is_empty() {
            return quote! {{ let #b = #right; #result }};
        }
        let r = self.temp("r");
        let rest = self.expand_comparisons(&b, ops_rest, comparators_rest, rebinds);
        quote! {{
            let #b = #right;
            let #r = #result;
            if #p::truthy(&#r)? { #rest } else { #r }
        }}
    }

    /// A `&'static AttrSite` for the attribute `name` at this call site (its interned name
    /// and the cache of its last lookup).
    pub(super) fn attr_site(&self, name: &str) -> TokenStream {
        let p = &self.p;
        quote! {{ static __A: #p::AttrSite = #p::AttrSite::new(#name); &__A }}
    }

    /// The Rust tokens of a Rust value in `py!`, a name or a `$(…)` escape (not a deferred
    /// scope's copy).
    fn rust_value(&self, e: &Expr) -> Option<TokenStream> {
        match e {
            Expr::Name(n)
                if matches!(n.binding, Binding::Rust | Binding::Unresolved)
                    && n.rust_capture.is_none() =>
            {
                let ident = n.rust_ident();
                Some(quote!(#ident))
            }
            Expr::Rust(r) if r.capture.is_none() => Some(r.tokens.clone()),
            _ => None,
        }
    }

    /// `a in container` (or `not in`) with a Rust collection: compared in Rust where
    /// `__private::RustContains` covers the collection and the item, else converted.
    fn expand_rust_in(&self, a: &Ident, negate: bool, container: TokenStream) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let c = self.temp("c");
        let found = if negate {
            quote!(!__found)
        } else {
            quote!(__found)
        };
        let slow = if negate {
            quote!(#p::not_contains(#a, &#p::Arg(#c).to_py_arg(#py)?)?)
        } else {
            quote!(#p::contains(#a, &#p::Arg(#c).to_py_arg(#py)?)?)
        };
        quote! {{
            let #c = &(#container);
            match #p::RustIn(#c).rust_contains(#a) {
                #p::Some(__found) => #p::boolean(#py, #found),
                #p::None => #slow,
            }
        }}
    }

    fn expand_attribute(&self, a: &Attribute) -> TokenStream {
        if let Some(direct) = self.expand_direct_attribute(a) {
            return direct;
        }
        let p = &self.p;
        let value = self.expand_operand(&a.value, false);
        let site = self.attr_site(&a.attr);
        quote! { #p::getattr_at(#value, #site)? }
    }

    /// `value.attr` on a Rust value (not a deferred scope's copy): reads a `#[derive(Class)]`
    /// field directly when the value's type has one of that name, else looks the attribute up.
    fn expand_direct_attribute(&self, a: &Attribute) -> Option<TokenStream> {
        let tokens = self.rust_value(&a.value)?;
        let p = &self.p;
        let py = &self.py;
        let attr = &a.attr;
        let key = crate::derive::field_key(attr);
        let v = self.temp("v");
        let site = self.attr_site(attr);
        Some(quote! {{
            let #v = &(#tokens);
            match (&#p::AttrOf::<#key, _>(#v)).pycall_direct(#py, #attr) {
                #p::Some(__r) => __r?,
                #p::None => {
                    #p::getattr_at(&#p::Arg(#v).to_py_arg(#py)?, #site)?
                }
            }
        }})
    }

    fn expand_subscript(&self, s: &Subscript) -> TokenStream {
        let p = &self.p;
        let (v, k) = (self.temp("v"), self.temp("k"));
        let rebinds = s.value.contains_walrus() || s.slice.contains_walrus();
        let value = self.expand_operand(&s.value, rebinds);
        let key = self.expand_operand(&s.slice, rebinds);
        quote! {{ let #v = #value; let #k = #key; #p::get_item(#v, #k)? }}
    }

    fn expand_slice(&self, s: &Slice) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let part = |e: &Option<Box<Expr>>| match e {
            Some(e) => {
                let e = self.expand_expr(e);
                quote!(#p::Some(#e))
            }
            None => quote!(#p::None),
        };
        let (lower, upper, step) = (part(&s.lower), part(&s.upper), part(&s.step));
        quote!(#p::slice(#py, #lower, #upper, #step)?)
    }
}
