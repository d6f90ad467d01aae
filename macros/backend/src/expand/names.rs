//! Expansion, names: reading a name (a Python variable, a builtin, a Rust value), declaring a
//! scope's variables, storing into targets, `del`, and the imports that bind names.

use super::Expander;
use crate::ast::*;
use crate::resolve::Storage;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

impl Expander<'_> {
    /// `let` statements for the locals a scope owns (parameters are bound by their caller).
    pub(super) fn declare_locals(&self, scope: ScopeId) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let mut out = TokenStream::new();
        for &id in &self.res.scope(scope).locals {
            let local = self.res.local(id);
            if local.is_param {
                continue;
            }
            let ident = self.local_ident(id);
            match local.storage {
                // Only a parameter is kept as a bare `Bound`, and its caller binds it.
                Storage::Param => {}
                Storage::Optional => out.extend(quote! {
                    #[allow(unused_mut, unused_assignments)]
                    let mut #ident: ::core::option::Option<#p::pyo3::Bound<'_, #p::pyo3::PyAny>> = #p::None;
                }),
                Storage::Cell => out.extend(quote! {
                    let #ident = #p::cell_new(#py)?;
                }),
                // In the frame, made with it.
                Storage::Slot => {}
            }
        }
        out
    }

    /// A name as a value.
    pub(super) fn expand_name(&self, name: &Name) -> TokenStream {
        let p = &self.p;
        let id_text = &name.id;
        match name.binding {
            Binding::Builtin => self.expand_builtin(&name.id),
            Binding::Rust | Binding::Unresolved => {
                let ident = name.rust_ident();
                self.expand_rust_value(quote!(#ident), name.rust_capture, true)
            }
            Binding::Local(id) => {
                let ident = self.local_ident(id);
                let top = self.res.local(id).scope == ScopeId(0);
                match self.res.local(id).storage {
                    Storage::Param => quote!(#ident.clone()),
                    Storage::Optional => quote!(#p::load(&#ident, #id_text, #top)?),
                    Storage::Cell
                        if self.function_scope.get() == Some(self.res.local(id).scope) =>
                    {
                        quote!(#p::cell_get_local(&#ident, #id_text)?)
                    }
                    Storage::Cell => quote!(#p::cell_get(&#ident, #id_text, #top)?),
                    Storage::Slot => quote!(#p::slot_get(#ident, #id_text)?),
                }
            }
            Binding::Undefined => self.expand_undefined(name),
            Binding::Namespace(class, fallback) => {
                let ns = self.class_namespace(class);
                let py = &self.py;
                let fallback = match fallback {
                    Fallback::Undefined => self.expand_undefined(name),
                    other => {
                        let binding = match other {
                            Fallback::Local(id) => Binding::Local(id),
                            Fallback::LocalOrOuter(id, outer) => Binding::LocalOrOuter(id, outer),
                            Fallback::Builtin => Binding::Builtin,
                            Fallback::Rust | Fallback::Undefined => Binding::Rust,
                        };
                        self.expand_name(&Name {
                            binding,
                            ..name.clone()
                        })
                    }
                };
                quote! {
                    match #p::ns_load(&#ns, ::pycall::__private::intern!(#py, #id_text))? {
                        #p::Some(__v) => __v,
                        #p::None => #fallback,
                    }
                }
            }
            Binding::LocalOrOuter(id, outer) => {
                let ident = self.local_ident(id);
                let fallback = match outer {
                    Outer::Builtin => self.expand_builtin(&name.id),
                    Outer::Rust => {
                        let user = name.rust_ident();
                        self.expand_rust_value(quote!(#user), name.rust_capture, true)
                    }
                };
                let slot = match self.res.local(id).storage {
                    Storage::Cell => quote!(#p::cell_get_opt(&#ident)?),
                    Storage::Slot => quote!(#p::slot_get_opt(#ident)),
                    Storage::Param | Storage::Optional => {
                        quote!(::core::clone::Clone::clone(&#ident))
                    }
                };
                quote! {
                    match #slot {
                        #p::Some(__v) => __v,
                        #p::None => #fallback,
                    }
                }
            }
        }
    }

    /// A name nothing binds: `NameError`, as CPython raises for it.
    fn expand_undefined(&self, name: &Name) -> TokenStream {
        let p = &self.p;
        let message = format!("name '{}' is not defined", name.id);
        quote! {
            #p::pyo3::PyResult::<#p::pyo3::Bound<'_, #p::pyo3::PyAny>>::Err(
                #p::pyo3::exceptions::PyNameError::new_err(#message),
            )?
        }
    }

    /// A builtin, looked up once per call site.
    fn expand_builtin(&self, name: &str) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        quote!({ static __B: #p::Const = #p::Const::builtin(#name); __B.owned(#py)? })
    }

    /// A builtin borrowed where it is cached (see `expand_operand`).
    pub(super) fn builtin_ref(&self, name: &str) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        quote!({ static __B: #p::Const = #p::Const::builtin(#name); __B.get(#py)? })
    }

    /// A Rust value: converted in place, or read from a deferred scope's copy.
    pub(super) fn expand_rust_value(
        &self,
        tokens: TokenStream,
        capture: Option<usize>,
        is_name: bool,
    ) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match capture {
            Some(k) => {
                let ident = self.capture_ident(k);
                quote!(#ident.bind(#py).clone())
            }
            // (A name needs no parentheses: fewer tokens for the compiler.)
            None if is_name => quote!(#p::Arg(&#tokens).to_py_arg(#py)?),
            None => quote!(#p::Arg(&(#tokens)).to_py_arg(#py)?),
        }
    }

    /// Stores `value` (a local `Bound`, not used afterwards) into a target.
    pub(super) fn expand_store(&self, target: &Expr, value: &Ident) -> TokenStream {
        let p = &self.p;
        match target {
            Expr::Name(name) => self.expand_store_name(name, value, true),
            Expr::Tuple(t) | Expr::List(t) => {
                let star = t.elts.iter().position(|e| matches!(e, Expr::Starred(_)));
                let n = t.elts.len();
                let before = star.unwrap_or(n);
                let after = match star {
                    Some(i) => {
                        let after = n - i - 1;
                        quote!(#p::Some(#after))
                    }
                    None => quote!(#p::None),
                };
                let parts: Vec<Ident> = (0..n).map(|_| self.temp("part")).collect();
                let assigns = t.elts.iter().zip(&parts).map(|(elt, part)| {
                    let inner = match elt {
                        Expr::Starred(s) => &*s.value,
                        other => other,
                    };
                    self.expand_store(inner, part)
                });
                quote! {
                    let [#(#parts),*] = #p::parts::<#n>(#p::unpack(&#value, #before, #after)?)?;
                    #(#assigns)*
                }
            }
            Expr::Attribute(a) => {
                let obj = self.expand_expr(&a.value);
                let attr = &a.attr;
                let py = &self.py;
                quote! { #p::setattr(&#obj, ::pycall::__private::intern!(#py, #attr), &#value)?; }
            }
            Expr::Subscript(s) => {
                let obj = self.expand_expr(&s.value);
                let key = self.expand_expr(&s.slice);
                quote! { #p::PyAnyMethods::set_item(&#obj, &#key, &#value)?; }
            }
            other => self.internal_error(other.range().error(format!(
                "internal error: cannot assign to {}",
                crate::parse::describe_target(other)
            ))),
        }
    }

    /// Stores `value` into a variable; `consume`: the value is not used afterwards (moved, not
    /// cloned).
    pub(super) fn expand_store_name(
        &self,
        name: &Name,
        value: &Ident,
        consume: bool,
    ) -> TokenStream {
        let p = &self.p;
        let id = match name.binding {
            Binding::Local(id) | Binding::LocalOrOuter(id, _) => id,
            Binding::Namespace(class, _) => {
                let ns = self.class_namespace(class);
                let (py, id_text) = (&self.py, &name.id);
                let value = if consume {
                    quote!(#value)
                } else {
                    quote!(::core::clone::Clone::clone(&#value))
                };
                return quote! { #p::ns_store(&#ns, ::pycall::__private::intern!(#py, #id_text), #value)?; };
            }
            Binding::Unresolved | Binding::Builtin | Binding::Rust | Binding::Undefined => {
                return self.internal_error(syn::Error::new(
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
                quote! { #ident = #p::Some(#value); }
            }
            Storage::Optional => quote! { #ident = #p::Some(#value.clone()); },
            Storage::Cell => quote! { #p::cell_set(&#ident, &#value)?; },
            Storage::Slot if consume => quote! { #p::slot_put(#ident, #value); },
            Storage::Slot => quote! { #p::slot_set(#ident, &#value); },
        }
    }

    /// `del a, b.c, d[k]`
    pub(super) fn expand_delete(&self, targets: &[Expr]) -> TokenStream {
        targets
            .iter()
            .map(|t| self.expand_delete_target(t))
            .collect()
    }

    fn expand_delete_target(&self, target: &Expr) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        match target {
            Expr::Name(name) => {
                let id_text = &name.id;
                if let Binding::Namespace(class, _) = name.binding {
                    let ns = self.class_namespace(class);
                    return quote! { #p::ns_delete(&#ns, ::pycall::__private::intern!(#py, #id_text))?; };
                }
                let (Binding::Local(id) | Binding::LocalOrOuter(id, _)) = name.binding else {
                    return self.internal_error(syn::Error::new(
                        name.span,
                        format!(
                            "internal error: `del {id_text}` of a name the block does not bind"
                        ),
                    ));
                };
                let ident = self.local_ident(id);
                let top = self.res.local(id).scope == ScopeId(0);
                match self.res.local(id).storage {
                    Storage::Optional => quote! { #p::delete(&mut #ident, #id_text, #top)?; },
                    Storage::Cell => quote! { #p::cell_delete(&#ident, #id_text, #top)?; },
                    Storage::Slot => quote! { #p::slot_delete(#ident, #id_text)?; },
                    Storage::Param => self.internal_error(syn::Error::new(
                        name.span,
                        "internal error: `del` of a parameter kept outside a cell",
                    )),
                }
            }
            Expr::Tuple(t) | Expr::List(t) => t
                .elts
                .iter()
                .map(|e| self.expand_delete_target(e))
                .collect(),
            Expr::Attribute(a) => {
                let obj = self.expand_expr(&a.value);
                let attr = &a.attr;
                quote! { #p::delattr(&#obj, ::pycall::__private::intern!(#py, #attr))?; }
            }
            Expr::Subscript(s) => {
                let (o, k) = (self.temp("o"), self.temp("k"));
                let obj = self.expand_expr(&s.value);
                let key = self.expand_expr(&s.slice);
                quote! { let #o = #obj; let #k = #key; #p::PyAnyMethods::del_item(&#o, &#k)?; }
            }
            other => self.internal_error(
                other
                    .range()
                    .error("internal error: `del` of an expression that is not a target"),
            ),
        }
    }

    /// Python's implicit `del name` at the end of `except … as name`.
    pub(super) fn expand_unbind(&self, name: &Name) -> TokenStream {
        let p = &self.p;
        if let Binding::Namespace(class, _) = name.binding {
            // CPython's `name = None; del name`: gone, whatever the handler did with it.
            let ns = self.class_namespace(class);
            let (py, id_text) = (&self.py, &name.id);
            return quote! {
                #p::ns_store(&#ns, ::pycall::__private::intern!(#py, #id_text), #p::none(#py))?;
                #p::ns_delete(&#ns, ::pycall::__private::intern!(#py, #id_text))?;
            };
        }
        let (Binding::Local(id) | Binding::LocalOrOuter(id, _)) = name.binding else {
            return TokenStream::new();
        };
        let ident = self.local_ident(id);
        match self.res.local(id).storage {
            Storage::Cell => quote! { #p::cell_clear(&#ident)?; },
            Storage::Slot => quote! { #p::slot_clear(#ident); },
            Storage::Param | Storage::Optional => {
                quote! { #ident = #p::None; }
            }
        }
    }

    /// `import a.b.c`, `import a.b as c`: each module imported once per call site.
    pub(super) fn expand_import(&self, names: &[Alias]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        names
            .iter()
            .map(|alias| {
                let module = &alias.name;
                let top = alias.asname.is_none() && module.contains('.');
                let m = self.temp("m");
                let store = self.expand_store_alias(alias, &m);
                let import = self.cached(
                    "__M",
                    quote!(#p::pyo3::PyAny),
                    |cell| quote!(#p::import_cached(#py, &#cell, #module, #top)?),
                );
                quote! {
                    let #m = #import;
                    #store
                }
            })
            .collect()
    }

    /// `from a.b import c, d as e`
    pub(super) fn expand_import_from(&self, module: &str, names: &[Alias]) -> TokenStream {
        let p = &self.p;
        let py = &self.py;
        let m = self.temp("m");
        let stores = names.iter().map(|alias| {
            let value = self.temp("v");
            let name = &alias.name;
            let store = self.expand_store_alias(alias, &value);
            quote! {
                let #value = #p::import_from(&#m, #name)?;
                #store
            }
        });
        let import = self.cached(
            "__M",
            quote!(#p::pyo3::PyAny),
            |cell| quote!(#p::import_cached(#py, &#cell, #module, false)?),
        );
        quote! {
            let #m = #import;
            #(#stores)*
        }
    }

    /// Stores an imported object under the name its alias binds.
    fn expand_store_alias(&self, alias: &Alias, value: &Ident) -> TokenStream {
        let name = Name {
            id: alias.bound_name().to_owned(),
            span: alias.range.start,
            ident: Ident::new("import", alias.range.start),
            binding: alias.binding,
            rust_capture: None,
        };
        self.expand_store_name(&name, value, true)
    }
}
