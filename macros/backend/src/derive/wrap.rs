//! `wrap!`: a typed Rust wrapper of a Python class or module, declared as a unit struct plus
//! bodiless method signatures; each method's body is a generated call.

use super::attr;
use crate::diag::Ctxt;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Attribute, FnArg, Ident, LitStr, Pat, ReturnType, Signature, Token, Type, Visibility};

/// The whole declaration: `struct Name;` and `impl Name { fn ...; }`.
struct Declaration {
    attrs: Vec<Attribute>,
    vis: Visibility,
    struct_token: Token![struct],
    ident: Ident,
    generics: syn::Generics,
    fields: Option<syn::Fields>,
    methods: Vec<MethodDecl>,
}

/// `fn name(&self, a: A, ...) -> R;` inside the declaration's `impl`.
struct MethodDecl {
    attrs: Vec<Attribute>,
    vis: Visibility,
    sig: Signature,
    body: Option<syn::Block>,
}

/// What the wrapper wraps.
enum Target {
    Class(LitStr),
    Module(LitStr),
}

enum MethodKind {
    /// `#[pycall(new)]`: calls the class.
    New,
    /// `#[pycall(getter)]`: reads an attribute.
    Getter,
    /// A call of the attribute.
    Call,
}

impl Parse for Declaration {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let struct_token: Token![struct] = input.parse()?;
        let ident: Ident = input.parse()?;
        let generics: syn::Generics = input.parse()?;
        let fields = if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            None
        } else {
            let fields = if input.peek(syn::token::Paren) {
                syn::Fields::Unnamed(input.parse()?)
            } else {
                syn::Fields::Named(input.parse()?)
            };
            let _ = input.parse::<Option<Token![;]>>()?;
            Some(fields)
        };
        input.parse::<Token![impl]>()?;
        let self_ty: Ident = input.parse()?;
        if self_ty != ident {
            return Err(syn::Error::new(
                self_ty.span(),
                format!("expected `impl {ident}`, the struct declared above"),
            ));
        }
        let content;
        syn::braced!(content in input);
        let mut methods = Vec::new();
        while !content.is_empty() {
            methods.push(content.parse()?);
        }
        if !input.is_empty() {
            return Err(input.error("expected nothing after the `impl` block"));
        }
        Ok(Declaration {
            attrs,
            vis,
            struct_token,
            ident,
            generics,
            fields,
            methods,
        })
    }
}

impl Parse for MethodDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let body = if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            None
        } else if input.peek(syn::token::Brace) {
            Some(input.parse()?)
        } else {
            return Err(input.error("expected `;` after a wrapper method's signature"));
        };
        Ok(MethodDecl {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

/// Adds `<'py>` to bare mentions of the wrapper's own name in a signature's types.
struct AddLifetime<'a>(&'a Ident);

impl VisitMut for AddLifetime<'_> {
    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        if ty.qself.is_none()
            && ty.path.segments.len() == 1
            && ty.path.segments[0].ident == *self.0
            && ty.path.segments[0].arguments.is_none()
        {
            ty.path.segments[0].arguments =
                syn::PathArguments::AngleBracketed(syn::parse_quote!(<'py>));
        }
        syn::visit_mut::visit_type_path_mut(self, ty);
    }
}

fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"
            && matches!(s.arguments, syn::PathArguments::AngleBracketed(_))))
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

/// Expands `wrap! { ... }`. After an error the wrapper type is still declared, with the
/// methods that had none (and, without a target, only what needs none), so that its uses do
/// not fail as well.
pub fn wrap(input: TokenStream) -> TokenStream {
    let decl: Declaration = match syn::parse2(input) {
        Ok(decl) => decl,
        Err(e) => return e.to_compile_error(),
    };
    let cx = Ctxt::default();
    let target = target(&decl, &cx);
    if let Some(param) = decl.generics.params.first() {
        cx.error(
            param.span(),
            "a wrapper is declared without generics (`struct Name;`); pycall adds the `'py` lifetime",
        );
    }
    if let Some(fields) = &decl.fields {
        cx.error(
            fields.span(),
            "a wrapper is declared as a unit struct (`struct Name;`); pycall adds the wrapped object",
        );
    }
    let methods: Vec<TokenStream> = decl
        .methods
        .iter()
        .filter_map(|m| method(&decl, target.as_ref(), m, &cx))
        .collect();
    let errors = cx.into_compile_errors();
    let expanded = expand(&decl, target.as_ref(), &methods);
    quote!(#errors #expanded)
}

fn target(decl: &Declaration, cx: &Ctxt) -> Option<Target> {
    let mut found: Option<Target> = None;
    for opt in attr::options(&decl.attrs, cx) {
        let made = match opt.key.to_string().as_str() {
            "class" => opt.string(cx).map(Target::Class),
            "module" => opt.string(cx).map(Target::Module),
            _ => {
                attr::unknown(&opt, "a wrapper", &["class", "module"], cx);
                None
            }
        };
        if let Some(made) = made {
            let path = match &made {
                Target::Class(p) | Target::Module(p) => p,
            };
            let value = path.value();
            let dotted_ok = !value.is_empty() && value.split('.').all(attr::is_python_identifier);
            if !dotted_ok {
                cx.error(
                    path.span(),
                    format!("`{value}` is not a dotted Python name"),
                );
            } else if matches!(made, Target::Class(_)) && !value.contains('.') {
                cx.error(
                    path.span(),
                    format!("expected `module.{value}`: the module to import the class from"),
                );
            }
            if found.is_some() {
                cx.error(opt.span(), "a wrapper wraps one class or one module");
            }
            found = Some(made);
        }
    }
    if found.is_none() {
        cx.error(
            decl.ident.span(),
            "a wrapper needs `#[pycall(class = \"module.Class\")]` or `#[pycall(module = \"module\")]`",
        );
    }
    found
}

/// One generated method, or `None` after reporting what is wrong with its declaration.
fn method(
    decl: &Declaration,
    target: Option<&Target>,
    m: &MethodDecl,
    cx: &Ctxt,
) -> Option<TokenStream> {
    let sig = &m.sig;
    let errors_before = cx.count();
    let mut kind = MethodKind::Call;
    let mut python = crate::parse::tokens::ident_text(&sig.ident);
    for opt in attr::options(&m.attrs, cx) {
        match opt.key.to_string().as_str() {
            "new" => {
                if opt.flag(cx) {
                    kind = MethodKind::New
                }
            }
            "getter" => {
                if opt.flag(cx) {
                    kind = MethodKind::Getter
                }
            }
            "name" => {
                if let Some(lit) = opt.string(cx) {
                    python = attr::python_name(&lit, cx).unwrap_or(python);
                }
            }
            _ => attr::unknown(&opt, "a wrapper method", &["new", "getter", "name"], cx),
        }
    }
    if let Some(body) = &m.body {
        cx.error(
            body.brace_token.span.open(),
            "a wrapper method has no body: end its signature with `;` and pycall writes the call",
        );
    }
    if let Some(c) = &sig.constness {
        cx.error(c.span, "a wrapper method cannot be `const`");
    }
    if let Some(a) = &sig.asyncness {
        cx.error(a.span, "a wrapper method cannot be `async`");
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        cx.error(u.span, "a wrapper method cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        cx.error(abi.span(), "a wrapper method cannot have an ABI");
    }
    if let Some(param) = sig.generics.params.first() {
        cx.error(
            param.span(),
            "a wrapper method cannot have generic parameters; name concrete types (a `Bound<'py, PyAny>` takes any object)",
        );
    }
    if let Some(v) = &sig.variadic {
        cx.error(v.span(), "a wrapper method cannot be variadic");
    }
    let output = match &sig.output {
        ReturnType::Type(_, ty) => Some((**ty).clone()),
        ReturnType::Default => {
            cx.error(
                sig.paren_token.span.close(),
                format!(
                    "wrapper method `{}` needs a return type: `-> T` for a `T: FromPyObject` (the Python result is converted to it), or `-> ()` to drop it",
                    sig.ident
                ),
            );
            None
        }
    };
    let mut receiver = None;
    let mut params = Vec::new();
    for (i, input) in sig.inputs.iter().enumerate() {
        match input {
            FnArg::Receiver(r) => {
                if !matches!(r.kind, syn::ReceiverKind::Reference(_, _, None)) {
                    cx.spanned(
                        r,
                        "a wrapper method takes `&self` (the Python object is shared, not moved or borrowed mutably)",
                    );
                }
                if i != 0 {
                    cx.spanned(r, "`self` must be the first parameter");
                }
                receiver = Some(r);
            }
            FnArg::Typed(t) => {
                let ident = match &*t.pat {
                    Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => p.ident.clone(),
                    other => {
                        cx.spanned(
                            other,
                            "a wrapper method's parameters are plain names (`name: Type`)",
                        );
                        continue;
                    }
                };
                if let Some(other) = t.attrs.iter().find(|a| !a.path().is_ident("pycall")) {
                    cx.spanned(
                        other,
                        "a wrapper parameter takes only `#[pycall(keyword)]` or `#[pycall(keyword = \"name\")]`",
                    );
                }
                let mut keyword = None;
                for opt in attr::options(&t.attrs, cx) {
                    match opt.key.to_string().as_str() {
                        "keyword" => {
                            keyword = match &opt.value {
                                attr::OptValue::Flag => {
                                    Some(crate::parse::tokens::ident_text(&ident))
                                }
                                attr::OptValue::Str(lit) => attr::python_name(lit, cx),
                                attr::OptValue::Bool(_) => {
                                    cx.error(
                                        opt.span(),
                                        "expected `keyword` or `keyword = \"name\"`",
                                    );
                                    None
                                }
                            }
                        }
                        _ => attr::unknown(&opt, "a wrapper parameter", &["keyword"], cx),
                    }
                }
                params.push((ident, (*t.ty).clone(), keyword));
            }
        }
    }
    if receiver.is_none()
        && let Some((name, _, _)) = params.iter().find(|(n, _, _)| n == "py")
    {
        cx.error(
            name.span(),
            "a wrapper function without `self` gets `py: Python<'py>` as its first parameter, so no other parameter can be named `py`",
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (name, _, keyword) in &params {
        if let Some(keyword) = keyword {
            if seen.contains(&keyword.as_str()) {
                cx.error(
                    name.span(),
                    format!("keyword argument `{keyword}` is passed twice"),
                );
            }
            seen.push(keyword);
        }
    }
    match (&kind, receiver, target) {
        (MethodKind::New, Some(r), _) => {
            cx.spanned(r, "a `#[pycall(new)]` constructor takes no `self`")
        }
        (MethodKind::New, None, Some(Target::Module(_))) => cx.error(
            sig.ident.span(),
            "`#[pycall(new)]` calls a class, and this wrapper wraps a module",
        ),
        (MethodKind::Getter, None, _) => cx.error(
            sig.ident.span(),
            "a `#[pycall(getter)]` reads an attribute of `&self`",
        ),
        (MethodKind::Getter, Some(_), _) if !params.is_empty() => {
            let extra = sig.inputs.iter().skip(1);
            cx.spanned(
                quote!(#(#extra),*),
                "a `#[pycall(getter)]` takes only `&self`",
            )
        }
        _ => {}
    }
    let output = output?;
    if cx.count() != errors_before {
        return None;
    }
    Some(method_body(
        decl,
        m,
        &kind,
        receiver.is_some(),
        &python,
        &params,
        output,
    ))
}

fn method_body(
    decl: &Declaration,
    m: &MethodDecl,
    kind: &MethodKind,
    has_self: bool,
    python: &str,
    params: &[(Ident, Type, Option<String>)],
    output: Type,
) -> TokenStream {
    let p = quote!(::pycall::__private);
    let o = quote!(::pycall::pyo3);
    // Every attribute but pycall's carries over (docs, `cfg`, `deprecated`, `must_use`, ...).
    let attrs = m.attrs.iter().filter(|a| !a.path().is_ident("pycall"));
    let vis = &m.vis;
    let ident = &m.sig.ident;
    let mut add = AddLifetime(&decl.ident);
    let mut out_ty = output;
    add.visit_type_mut(&mut out_ty);
    let rust_params = params.iter().map(|(name, ty, _)| {
        let mut ty = ty.clone();
        add.visit_type_mut(&mut ty);
        quote!(#name: #ty)
    });
    // Generated locals are hygienic (mixed-site), so no user parameter can hide them; the `py`
    // of a function without `self` is its public first parameter.
    let local = |name: &str| Ident::new(name, Span::mixed_site());
    let (kwargs, call_fn, result, v, caller) = (
        local("__kwargs"),
        local("__call"),
        local("__result"),
        local("__v"),
        local("__caller"),
    );
    let (py, first, py_token) = if has_self {
        let py = local("py");
        let token = quote!(let #py = #o::Bound::py(&self.0););
        (py, quote!(&self,), token)
    } else {
        let py = Ident::new("py", Span::call_site());
        let first = quote!(#py: #o::Python<'py>,);
        (py, first, TokenStream::new())
    };
    let what = format!("{}.{}", decl.ident, ident);
    let callee = match kind {
        MethodKind::New => quote!(Self::__pycall_target(#py)?),
        MethodKind::Getter | MethodKind::Call if has_self => {
            quote!(self.0.getattr(#p::intern!(#py, #python))?)
        }
        MethodKind::Getter | MethodKind::Call => {
            quote!(Self::__pycall_target(#py)?.getattr(#p::intern!(#py, #python))?)
        }
    };
    let positional: Vec<&Ident> = params
        .iter()
        .filter(|(_, _, k)| k.is_none())
        .map(|(n, _, _)| n)
        .collect();
    let keywords = params.iter().filter_map(|(name, ty, k)| {
        let key = k.as_ref()?;
        Some(if is_option(ty) {
            quote! {
                if let ::core::option::Option::Some(#v) = #name {
                    #kwargs.set_item(#p::intern!(#py, #key), #v)?;
                }
            }
        } else {
            quote! { #kwargs.set_item(#p::intern!(#py, #key), #name)?; }
        })
    });
    // Each argument is converted on its own, so a type that cannot cross is reported at it.
    let conversions = params.iter().map(|(name, ty, k)| {
        let span = ty.span();
        if k.is_some() && is_option(ty) {
            quote_spanned! {span=>
                let #name = match #name {
                    ::core::option::Option::Some(#v) => ::core::option::Option::Some({
                        #[allow(unused_imports)]
                        use ::pycall::__private::ToPyChecked as _;
                        ::pycall::__private::Arg(&#v).to_py_arg(#py)?
                    }),
                    ::core::option::Option::None => ::core::option::Option::None,
                };
            }
        } else {
            quote_spanned! {span=>
                let #name = {
                    #[allow(unused_imports)]
                    use ::pycall::__private::ToPyChecked as _;
                    ::pycall::__private::Arg(&#name).to_py_arg(#py)?
                };
            }
        }
    });
    let has_keywords = params.iter().any(|(_, _, k)| k.is_some());
    let call = match kind {
        MethodKind::Getter => quote!(self.0.getattr(#p::intern!(#py, #python))),
        _ if has_keywords => quote! {{
            let #kwargs = #o::types::PyDict::new(#py);
            #(#keywords)*
            #callee.call((#(#positional,)*), ::core::option::Option::Some(&#kwargs))
        }},
        _ => quote!(#callee.call1((#(#positional,)*))),
    };
    let ret_span = out_ty.span();
    let finish = if is_unit(&out_ty) {
        quote!(let _ = #result; ::core::result::Result::Ok(()))
    } else {
        let target = quote!(#out_ty).to_string();
        quote_spanned!(ret_span=> #p::wrapper_extract::<#out_ty>(&#result, #what, #target, #caller))
    };
    quote! {
        #(#attrs)*
        #[allow(clippy::too_many_arguments)]
        // The caller's Rust location goes into the traceback of an error.
        #[track_caller]
        #vis fn #ident(#first #(#rust_params),*) -> #o::PyResult<#out_ty> {
            #[allow(unused_imports)]
            use #o::types::{PyAnyMethods as _, PyDictMethods as _};
            let #caller = ::core::panic::Location::caller();
            #py_token
            let #call_fn = || -> #o::PyResult<#o::Bound<'py, #o::PyAny>> {
                #(#conversions)*
                #call
            };
            let #result = #p::wrapper_call(#py, #call_fn(), #what, #caller)?;
            #finish
        }
    }
}

fn expand(decl: &Declaration, target: Option<&Target>, methods: &[TokenStream]) -> TokenStream {
    let p = quote!(::pycall::__private);
    let o = quote!(::pycall::pyo3);
    let Declaration {
        attrs,
        vis,
        struct_token,
        ident,
        ..
    } = decl;
    // Every attribute but pycall's goes on the struct; `cfg`s also go on its impls.
    let struct_attrs: Vec<&syn::Attribute> = attrs
        .iter()
        .filter(|a| !a.path().is_ident("pycall"))
        .collect();
    let cfgs: Vec<&syn::Attribute> = attrs.iter().filter(|a| a.path().is_ident("cfg")).collect();
    // What needs the target: the inherent impl (whose methods reach the Python object
    // through it) and extraction (which checks the object against it).
    let targeted = target.map(|target| {
        let (path, is_class) = match target {
            Target::Class(p) => (p.value(), true),
            Target::Module(p) => (p.value(), false),
        };
        let shared = quote! {
            #[doc(hidden)]
            fn __pycall_target(py: #o::Python<'py>) -> #o::PyResult<&'py #o::Bound<'py, #o::PyAny>> {
                static __TARGET: #o::sync::PyOnceLock<#o::Py<#o::PyAny>> = #o::sync::PyOnceLock::new();
                #p::wrapper_target(py, &__TARGET, #path, #is_class)
            }

            /// The wrapped Python object.
            #vis fn as_any(&self) -> &#o::Bound<'py, #o::PyAny> {
                &self.0
            }

            /// The wrapped Python object, taken out of the wrapper.
            #vis fn into_any(self) -> #o::Bound<'py, #o::PyAny> {
                self.0
            }
        };
        let entry = if is_class {
            let doc = format!(" The Python class `{path}`, imported on first use and cached.");
            let doc_wrap = format!(
                " Wraps `obj` if it is an instance of `{path}`; a `TypeError` otherwise (the same check as extraction)."
            );
            quote! {
                #[doc = #doc]
                #vis fn class(py: #o::Python<'py>) -> #o::PyResult<#o::Bound<'py, #o::types::PyType>> {
                    use #o::types::PyAnyMethods as _;
                    let class = Self::__pycall_target(py)?;
                    ::core::result::Result::Ok(::core::clone::Clone::clone(class.cast::<#o::types::PyType>()?))
                }

                #[doc = #doc_wrap]
                #vis fn wrap(obj: #o::Bound<'py, #o::PyAny>) -> #o::PyResult<Self> {
                    use #o::types::PyAnyMethods as _;
                    obj.extract()
                }
            }
        } else {
            let doc = format!(" The Python module `{path}`, imported on first use and cached.");
            quote! {
                #[doc = #doc]
                #vis fn import(py: #o::Python<'py>) -> #o::PyResult<Self> {
                    ::core::result::Result::Ok(Self(::core::clone::Clone::clone(Self::__pycall_target(py)?)))
                }
            }
        };
        let check = if is_class {
            quote! {
                use #o::types::PyAnyMethods as _;
                let __class = Self::__pycall_target(obj.py())?;
                if !obj.is_instance(__class)? {
                    return ::core::result::Result::Err(#p::wrapper_type_error(&obj, #path, true));
                }
            }
        } else {
            quote! {
                use #o::types::PyAnyMethods as _;
                if !obj.is(Self::__pycall_target(obj.py())?) {
                    return ::core::result::Result::Err(#p::wrapper_type_error(&obj, #path, false));
                }
            }
        };
        let inherent = quote! {
            #(#cfgs)*
            impl<'py> #ident<'py> {
                #entry
                #shared
                #(#methods)*
            }
        };
        let extract = quote! {
            #(#cfgs)*
            impl<'a, 'py> #o::FromPyObject<'a, 'py> for #ident<'py> {
                type Error = #o::PyErr;
                fn extract(obj: #o::Borrowed<'a, 'py, #o::PyAny>) -> #o::PyResult<Self> {
                    #check
                    ::core::result::Result::Ok(Self(obj.to_owned()))
                }
            }
        };
        (inherent, extract)
    });
    let (inherent, extract) = targeted.unzip();
    quote! {
        #(#struct_attrs)*
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        #[repr(transparent)]
        #vis #struct_token #ident<'py>(#o::Bound<'py, #o::PyAny>);

        #inherent

        #(#cfgs)*
        impl<'py> ::core::ops::Deref for #ident<'py> {
            type Target = #o::Bound<'py, #o::PyAny>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        #(#cfgs)*
        impl<'py> ::core::fmt::Display for #ident<'py> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }

        #extract

        #(#cfgs)*
        impl<'py> #o::IntoPyObject<'py> for #ident<'py> {
            type Target = #o::PyAny;
            type Output = #o::Bound<'py, #o::PyAny>;
            type Error = ::core::convert::Infallible;
            fn into_pyobject(self, _py: #o::Python<'py>) -> ::core::result::Result<Self::Output, Self::Error> {
                ::core::result::Result::Ok(self.0)
            }
        }

        #(#cfgs)*
        impl<'a, 'py> #o::IntoPyObject<'py> for &'a #ident<'py> {
            type Target = #o::PyAny;
            type Output = #o::Borrowed<'a, 'py, #o::PyAny>;
            type Error = ::core::convert::Infallible;
            fn into_pyobject(self, _py: #o::Python<'py>) -> ::core::result::Result<Self::Output, Self::Error> {
                ::core::result::Result::Ok(self.0.as_borrowed())
            }
        }
    }
}
