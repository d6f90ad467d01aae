//! `#[derive(Class)]`: a Rust struct as a Python class, through PyO3's own `#[pyclass]` code
//! generation (borrow-tracked cells, getters and setters), plus pycall's `__repr__`, `__eq__`,
//! `__hash__` and the direct field access that `py!` uses.

use super::attr::{self, Opt};
use crate::diag::Ctxt;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

/// What the struct-level `#[pycall(...)]` asked for.
struct ClassOptions {
    name: Option<LitStr>,
    module: Option<LitStr>,
    frozen: bool,
    clone: bool,
    repr: bool,
    eq: bool,
}

/// One field and what Python sees of it.
struct FieldSpec {
    ident: syn::Ident,
    ty: syn::Type,
    /// The Python attribute name; `None` when the field is skipped.
    python: Option<String>,
    writable: bool,
    docs: Vec<syn::Attribute>,
}

const CLASS_OPTIONS: &[&str] = &["name", "module", "frozen", "clone", "repr", "eq"];
const FIELD_OPTIONS: &[&str] = &["name", "readonly", "skip"];

fn class_options(input: &DeriveInput, cx: &Ctxt) -> ClassOptions {
    let mut options = ClassOptions {
        name: None,
        module: None,
        frozen: false,
        clone: false,
        repr: true,
        eq: true,
    };
    for opt in attr::options(&input.attrs, cx) {
        match opt.key.to_string().as_str() {
            "name" => {
                options.name = opt
                    .string(cx)
                    .filter(|lit| attr::python_name(lit, cx).is_some())
            }
            "module" => options.module = opt.string(cx),
            "frozen" => options.frozen = opt.flag(cx),
            "clone" => options.clone = opt.flag(cx),
            "repr" => options.repr = opt.boolean(cx).unwrap_or(true),
            "eq" => options.eq = opt.boolean(cx).unwrap_or(true),
            _ => attr::unknown(&opt, "`#[derive(Class)]`", CLASS_OPTIONS, cx),
        }
    }
    options
}

fn field_spec(field: &syn::Field, frozen: bool, cx: &Ctxt) -> Option<FieldSpec> {
    let ident = field.ident.clone()?;
    let mut python = Some(crate::parse::tokens::ident_text(&ident));
    let mut renamed = false;
    let mut writable = !frozen;
    let mut skip: Option<&Opt> = None;
    let opts = attr::options(&field.attrs, cx);
    for opt in &opts {
        match opt.key.to_string().as_str() {
            "name" => {
                if let Some(lit) = opt.string(cx) {
                    python = attr::python_name(&lit, cx).or(python);
                    renamed = true;
                }
            }
            "readonly" => writable = !opt.flag(cx) && writable,
            "skip" => {
                if opt.flag(cx) {
                    skip = Some(opt);
                }
            }
            _ => attr::unknown(opt, "a field", FIELD_OPTIONS, cx),
        }
    }
    if skip.is_some() {
        if let Some(other) = opts.iter().find(|o| o.key != "skip") {
            cx.error(
                other.span(),
                format!("`{}` has no effect on a field marked `skip`", other.key),
            );
        }
        python = None;
        writable = false;
    }
    if let Some(name) = python.as_deref().filter(|_| !renamed)
        && crate::parse::tokens::KEYWORDS.contains(&name)
    {
        cx.error(
            ident.span(),
            format!(
                "`{name}` is a Python keyword, so Python code could not write `obj.{name}`; rename it with `#[pycall(name = \"...\")]` or hide it with `#[pycall(skip)]`"
            ),
        );
    }
    Some(FieldSpec {
        ident,
        ty: field.ty.clone(),
        python,
        writable,
        docs: attr::docs(&field.attrs),
    })
}

/// Expands `#[derive(Class)]`. After an error only the errors are emitted: the struct itself
/// stays (a derive adds to an item, it does not replace it), and making PyO3's impls anyway
/// would cost every faulty derive a full class expansion.
pub fn derive_class(input: DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let options = class_options(&input, &cx);
    let fields: Vec<FieldSpec> = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named
                .named
                .iter()
                .filter_map(|f| field_spec(f, options.frozen, &cx))
                .collect(),
            Fields::Unit => Vec::new(),
            Fields::Unnamed(unnamed) => {
                cx.error(
                    unnamed.span(),
                    "`#[derive(Class)]` needs named fields (`struct S { a: T }`) or none",
                );
                Vec::new()
            }
        },
        Data::Enum(data) => {
            cx.error(
                data.enum_token.span,
                "`#[derive(Class)]` supports structs only, not enums",
            );
            Vec::new()
        }
        Data::Union(data) => {
            cx.error(
                data.union_token.span,
                "`#[derive(Class)]` supports structs only, not unions",
            );
            Vec::new()
        }
    };
    if let Some(param) = input.generics.params.first() {
        let what = match param {
            syn::GenericParam::Lifetime(_) => "lifetime",
            syn::GenericParam::Type(_) => "type",
            syn::GenericParam::Const(_) => "const",
        };
        cx.error(
            param.span(),
            format!(
                "`#[derive(Class)]` cannot have {what} parameters: a Python class is one concrete type that owns its data"
            ),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for field in &fields {
        if let Some(name) = &field.python {
            if seen.contains(&name.as_str()) {
                cx.error(
                    field.ident.span(),
                    format!("two fields are both exposed to Python as `{name}`"),
                );
            }
            seen.push(name);
        }
    }
    if cx.has_errors() {
        return cx.into_compile_errors();
    }
    expand(&input, &options, &fields)
}

fn expand(input: &DeriveInput, options: &ClassOptions, fields: &[FieldSpec]) -> TokenStream {
    let ident = &input.ident;
    let python_name = options
        .name
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| crate::parse::tokens::ident_text(ident));
    let pyclass = pyclass_impls(input, options, fields);
    let methods = generated_methods(ident, &python_name, options, fields);
    let direct = fields
        .iter()
        .filter_map(|f| f.python.as_ref().map(|name| direct_field(ident, f, name)));
    let by_ref = options.clone.then(|| {
        quote! {
            impl<'a, 'py> ::pycall::pyo3::IntoPyObject<'py> for &'a #ident {
                type Target = #ident;
                type Output = ::pycall::pyo3::Bound<'py, #ident>;
                type Error = ::pycall::pyo3::PyErr;
                fn into_pyobject(self, py: ::pycall::pyo3::Python<'py>) -> ::pycall::pyo3::PyResult<Self::Output> {
                    ::pycall::pyo3::Bound::new(py, ::core::clone::Clone::clone(self))
                }
            }
        }
    });
    quote! {
        #pyclass
        #methods
        #(#direct)*
        #by_ref
    }
}

/// PyO3's `#[pyclass]` impls for a copy of the struct whose fields carry `#[pyo3(get, set)]`.
fn pyclass_impls(input: &DeriveInput, options: &ClassOptions, fields: &[FieldSpec]) -> TokenStream {
    let ident = &input.ident;
    let vis = &input.vis;
    let docs = attr::docs(&input.attrs);
    let field_defs = fields.iter().map(|f| {
        let FieldSpec {
            ident, ty, docs, ..
        } = f;
        // The getter is pycall's own (in `generated_methods`): PyO3's converts with its
        // infallible conversions, which panic when Python has no memory left.
        let pyo3 = f.python.as_ref().filter(|_| f.writable).map(|name| {
            let span = ty.span();
            quote_spanned!(span=> #[pyo3(set, name = #name)])
        });
        let docs = if f.writable { docs.clone() } else { Vec::new() };
        quote!(#(#docs)* #pyo3 #ident: #ty)
    });
    let body = match &input.data {
        Data::Struct(s) if matches!(s.fields, Fields::Named(_)) => quote!({ #(#field_defs),* }),
        _ => quote!(;),
    };
    let item: syn::Result<syn::ItemStruct> = syn::parse2(quote! {
        #(#docs)* #vis struct #ident #body
    });
    // An immutable type: Python cannot replace a field's descriptor on the class, so `py!`'s
    // direct field read always agrees with attribute lookup.
    let mut args = quote!(crate = "::pycall::pyo3", immutable_type,);
    if let Some(name) = &options.name {
        args.extend(quote!(name = #name,));
    }
    if let Some(module) = &options.module {
        args.extend(quote!(module = #module,));
    }
    if options.frozen {
        args.extend(quote!(frozen,));
    }
    if options.clone {
        args.extend(quote!(from_py_object,));
    }
    let built = item.and_then(|mut item| {
        let args =
            syn::parse::Parser::parse2(pyo3_macros_backend::PyClassArgs::parse_struct_args, args)?;
        pyo3_macros_backend::build_py_class(
            &mut item,
            args,
            pyo3_macros_backend::PyClassMethodsType::Inventory,
        )
    });
    built
        .map(without_immutable_type_assertion)
        .unwrap_or_else(|e| e.to_compile_error())
}

/// PyO3's output without its compile-time check that the Python built against supports
/// `immutable_type` (3.10+): on 3.9 the class is then an ordinary mutable type (PyO3 sets the
/// flag only where it exists), and pycall's runtime turns the direct field read off there, so a
/// read in `py!` still agrees with attribute lookup.
fn without_immutable_type_assertion(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    tokens
        .into_iter()
        .filter_map(|tree| match tree {
            TokenTree::Group(group) => {
                let mut inner = group.stream().into_iter();
                let is_check = group.delimiter() == Delimiter::Brace
                    && matches!(inner.next(), Some(TokenTree::Ident(i)) if i == "const")
                    && matches!(inner.next(), Some(TokenTree::Ident(i)) if i == "ASSERT_IMMUTABLE_SUPPORTED");
                if is_check {
                    return None;
                }
                let mut rebuilt =
                    Group::new(group.delimiter(), without_immutable_type_assertion(group.stream()));
                rebuilt.set_span(group.span());
                Some(TokenTree::Group(rebuilt))
            }
            other => Some(other),
        })
        .collect()
}

/// The `__repr__`, `__eq__`/`__ne__` and (frozen) `__hash__` that `#[derive(Class)]` adds, as
/// a `#[pymethods]` block of their own (PyO3's `multiple-pymethods`, so users can add theirs).
fn generated_methods(
    ident: &syn::Ident,
    python_name: &str,
    options: &ClassOptions,
    fields: &[FieldSpec],
) -> TokenStream {
    let p = quote!(::pycall::__private);
    let names: Vec<&String> = fields.iter().filter_map(|f| f.python.as_ref()).collect();
    let repr = options.repr.then(|| {
        quote! {
            fn __repr__(slf: &::pycall::pyo3::Bound<'_, Self>) -> ::pycall::pyo3::PyResult<::std::string::String> {
                #p::class_repr(slf.as_any(), #python_name, <Self as #p::ClassInfo>::FIELDS)
            }
        }
    });
    let eq = options.eq.then(|| {
        quote! {
            fn __eq__(
                slf: &::pycall::pyo3::Bound<'_, Self>,
                other: &::pycall::pyo3::Bound<'_, ::pycall::pyo3::PyAny>,
            ) -> ::pycall::pyo3::PyResult<::pycall::pyo3::Py<::pycall::pyo3::PyAny>> {
                #p::class_eq::<Self>(slf.as_any(), other, <Self as #p::ClassInfo>::FIELDS, false)
            }
            fn __ne__(
                slf: &::pycall::pyo3::Bound<'_, Self>,
                other: &::pycall::pyo3::Bound<'_, ::pycall::pyo3::PyAny>,
            ) -> ::pycall::pyo3::PyResult<::pycall::pyo3::Py<::pycall::pyo3::PyAny>> {
                #p::class_eq::<Self>(slf.as_any(), other, <Self as #p::ClassInfo>::FIELDS, true)
            }
        }
    });
    let hash = (options.eq && options.frozen).then(|| {
        quote! {
            fn __hash__(slf: &::pycall::pyo3::Bound<'_, Self>) -> ::pycall::pyo3::PyResult<isize> {
                #p::class_hash(slf.as_any(), <Self as #p::ClassInfo>::FIELDS)
            }
        }
    });
    let info = quote! {
        impl #p::ClassInfo for #ident {
            const FIELDS: &'static [&'static str] = &[#(#names),*];
        }
    };
    let getters = fields.iter().filter_map(|f| {
        let name = f.python.as_ref()?;
        let member = &f.ident;
        let ty = &f.ty;
        let span = ty.span();
        let getter = quote::format_ident!("__pycall_get_{}", member);
        let docs = &f.docs;
        Some(quote_spanned! {span=>
            #(#docs)*
            #[getter(#name)]
            fn #getter<'py>(
                slf: &::pycall::pyo3::Bound<'py, Self>,
            ) -> ::pycall::pyo3::PyResult<::pycall::pyo3::Bound<'py, ::pycall::pyo3::PyAny>> {
                #[allow(unused_imports)]
                use ::pycall::__private::ToPyChecked as _;
                let __guard = ::pycall::pyo3::Bound::try_borrow(slf)?;
                ::pycall::__private::Arg::<#ty>(&__guard.#member).to_py_arg(::pycall::pyo3::Bound::py(slf))
            }
        })
    });
    quote! {
        #info
        #[::pycall::pyo3::pymethods(crate = "::pycall::pyo3")]
        impl #ident {
            #repr
            #eq
            #hash
            #(#getters)*
        }
    }
}

/// `py!`'s direct read of a field: `impl Field<KEY>` where KEY is [`field_key`] of the Python
/// name; `py!(obj.name)` on a `Bound<T>`/`Py<T>` finds it by type and skips attribute lookup.
/// The impl exists only where the field converts by reference (a higher-ranked bound, so an
/// unconvertible field leaves PyO3's own getter error as the only one); other fields are read
/// by ordinary lookup.
fn direct_field(ident: &syn::Ident, field: &FieldSpec, python: &str) -> TokenStream {
    let key = field_key(python);
    let member = &field.ident;
    let ty = &field.ty;
    let p = quote!(::pycall::__private);
    let o = quote!(::pycall::pyo3);
    quote! {
        impl #p::Field<#key> for #ident
        where
            for<'__a, '__py> &'__a #ty: #o::IntoPyObject<'__py>,
        {
            const FIELD: &'static str = #python;
            #[inline]
            fn get<'py>(
                __slf: &#o::Bound<'py, Self>,
            ) -> #o::PyResult<#o::Bound<'py, #o::PyAny>> {
                let __guard = #o::Bound::try_borrow(__slf)?;
                {
                    #[allow(unused_imports)]
                    use #p::ToPyChecked as _;
                    #p::Arg(&__guard.#member).to_py_arg(#o::Bound::py(__slf))
                }
            }
        }
    }
}

/// The key under which a field's direct reader is found: FNV-1a of its Python name. `py!`
/// computes the same key for `obj.name`, and the reader compares the name itself too, so a name
/// that collides with a field of another name is looked up the ordinary way, never read from
/// the wrong field. (Two fields of one struct with colliding keys would be conflicting impls, a
/// compile error; no such pair is known.)
pub fn field_key(name: &str) -> proc_macro2::Literal {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    proc_macro2::Literal::u64_suffixed(hash)
}
