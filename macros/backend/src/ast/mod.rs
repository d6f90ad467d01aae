//! Syntax tree: the nodes of CPython's `ast` module that a `py!` block can hold, with spans.

mod ops;
pub(crate) mod visit;

pub(crate) use ops::Comparison;
pub use ops::{BoolOperator, CmpOp, Operator, Precedence, UnaryOperator};

use proc_macro2::{Span, TokenStream};

/// The source range of a node: the spans of its first and last tokens.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    pub start: Span,
    pub end: Span,
}

impl Range {
    pub(crate) fn new(start: Span, end: Span) -> Self {
        Range { start, end }
    }

    pub(crate) fn single(span: Span) -> Self {
        Range {
            start: span,
            end: span,
        }
    }

    /// From the start of `self` to the end of `other`.
    pub(crate) fn to(self, other: Range) -> Self {
        Range {
            start: self.start,
            end: other.end,
        }
    }

    /// A compile error underlining the whole range.
    pub(crate) fn error(self, message: impl std::fmt::Display) -> syn::Error {
        use proc_macro2::{Punct, Spacing, TokenTree};
        let mut first = Punct::new('+', Spacing::Alone);
        first.set_span(self.start);
        let mut last = Punct::new('+', Spacing::Alone);
        last.set_span(self.end);
        let tokens: TokenStream = [TokenTree::Punct(first), TokenTree::Punct(last)]
            .into_iter()
            .collect();
        syn::Error::new_spanned(tokens, message)
    }
}

/// What `py!` was given: statements, then the expression whose value the block has (`None`
/// when the block ends with a statement), with an optional conversion.
#[derive(Clone)]
pub struct Input {
    pub stmts: Vec<Stmt>,
    pub body: Expr,
    /// The block ends with a statement, so `body` is an implicit `None`, not written.
    pub ends_with_statement: bool,
    /// Not Python: `EXPR as T` extracts the value into the Rust type `T`.
    pub target: Option<syn::Type>,
}

/// An expression node, named after `ast.expr`.
#[derive(Clone)]
pub enum Expr {
    /// `a and b`, `a or b or c`
    BoolOp(BoolOp),
    /// `name := value`
    NamedExpr(NamedExpr),
    /// `a + b`, `a // b` (spelled `a / / b` in `py!`)
    BinOp(BinOp),
    /// `not a`, `-a`, `+a`, `~a`
    UnaryOp(UnaryOp),
    /// `lambda x, *args, k=1, **kw: body`
    Lambda(Lambda),
    /// `body if test else orelse`
    IfExp(IfExp),
    /// `{k: v, **m}`
    Dict(Dict),
    /// `{a, *b}`
    Set(Elts),
    /// `[elt for x in xs if cond]`
    ListComp(Comp),
    /// `{elt for x in xs}`
    SetComp(Comp),
    /// `{k: v for x in xs}`
    DictComp(DictComp),
    /// `(elt for x in xs)`
    GeneratorExp(Comp),
    /// `a < b <= c`, `a is not b`, `a not in b`
    Compare(Compare),
    /// `f(a, *args, k=v, **kwargs)`
    Call(Call),
    /// `1`, `1.5`, `2j`, `"s"`, `b"b"`, `None`, `True`, `False`, `...`
    Constant(Constant),
    /// `value.attr`
    Attribute(Attribute),
    /// `value[index]`
    Subscript(Subscript),
    /// `*value`
    Starred(Starred),
    /// `yield value`, `yield`
    Yield(Yield),
    /// `yield from value`
    YieldFrom(Starred),
    /// `await value`
    Await(Starred),
    /// `name`
    Name(Name),
    /// `[a, *b]`
    List(Elts),
    /// `(a, b)`, `a, b`
    Tuple(Elts),
    /// `lower:upper:step` inside a subscript
    Slice(Slice),
    /// Not Python: `$name` or `$(rust expression)`, a Rust value used as a Python object.
    Rust(RustValue),
    /// `f"text {value!r:spec}"`, spelled `f "…"` in `py!`.
    JoinedStr(JoinedStr),
}

/// `ast.JoinedStr`: `f"text {value!r:spec}"`, spelled `f "…"` in `py!`.
#[derive(Clone)]
pub struct JoinedStr {
    pub values: Vec<FPart>,
    pub range: Range,
}

/// A piece of an f-string: literal text, or a replacement field (`ast.FormattedValue`).
#[derive(Clone)]
pub enum FPart {
    Literal(String),
    Field(FormattedValue),
}

/// `{value!conversion:format_spec}`
#[derive(Clone)]
pub struct FormattedValue {
    pub value: Box<Expr>,
    /// `r`, `s` or `a`.
    pub conversion: Option<char>,
    pub format_spec: Option<Vec<FPart>>,
}

/// `ast.BoolOp`: `a and b`, `a or b or c` (one node for the whole chain).
#[derive(Clone)]
pub struct BoolOp {
    pub op: BoolOperator,
    pub values: Vec<Expr>,
    pub range: Range,
}

/// `ast.NamedExpr`: `name := value`.
#[derive(Clone)]
pub struct NamedExpr {
    pub target: Name,
    pub value: Box<Expr>,
    pub range: Range,
}

/// `ast.BinOp`: `left op right`.
#[derive(Clone)]
pub struct BinOp {
    pub left: Box<Expr>,
    pub op: Operator,
    pub op_span: Span,
    pub right: Box<Expr>,
    pub range: Range,
}

/// `ast.UnaryOp`: `not a`, `-a`, `+a`, `~a`.
#[derive(Clone)]
pub struct UnaryOp {
    pub op: UnaryOperator,
    pub operand: Box<Expr>,
    pub range: Range,
}

/// `ast.Lambda`: `lambda args: body`.
#[derive(Clone)]
pub struct Lambda {
    pub args: Arguments,
    pub body: Box<Expr>,
    pub range: Range,
    /// Filled by name resolution.
    pub scope: ScopeId,
}

/// `ast.arguments`: a lambda's parameter list.
#[derive(Clone, Default)]
pub struct Arguments {
    pub posonlyargs: Vec<Arg>,
    pub args: Vec<Arg>,
    pub vararg: Option<Arg>,
    pub kwonlyargs: Vec<Arg>,
    /// One entry per keyword-only parameter; `None` where it has no default.
    pub kw_defaults: Vec<Option<Expr>>,
    pub kwarg: Option<Arg>,
    /// Defaults of the last positional parameters.
    pub defaults: Vec<Expr>,
}

impl Arguments {
    /// Every parameter, in the order a call binds them: positional (positional-only first),
    /// `*args`, keyword-only, `**kwargs`.
    pub(crate) fn params(&self) -> impl Iterator<Item = &Arg> {
        self.posonlyargs
            .iter()
            .chain(&self.args)
            .chain(&self.vararg)
            .chain(&self.kwonlyargs)
            .chain(&self.kwarg)
    }

    /// [`params`](Self::params), to change them.
    pub(crate) fn params_mut(&mut self) -> impl Iterator<Item = &mut Arg> {
        self.posonlyargs
            .iter_mut()
            .chain(&mut self.args)
            .chain(&mut self.vararg)
            .chain(&mut self.kwonlyargs)
            .chain(&mut self.kwarg)
    }
}

/// `ast.arg`: a parameter, `name` or `name: annotation` (annotations only in a `def`).
#[derive(Clone)]
pub struct Arg {
    pub arg: String,
    pub span: Span,
    pub annotation: Option<Box<Expr>>,
}

/// `ast.IfExp`: `body if test else orelse`.
#[derive(Clone)]
pub struct IfExp {
    pub test: Box<Expr>,
    pub body: Box<Expr>,
    pub orelse: Box<Expr>,
    pub range: Range,
}

/// `{k: v, **m}`: a `None` key is a `**` unpacking.
#[derive(Clone)]
pub struct Dict {
    pub keys: Vec<Option<Expr>>,
    pub values: Vec<Expr>,
    pub range: Range,
}

/// The elements of a tuple, list or set display.
#[derive(Clone)]
pub struct Elts {
    pub elts: Vec<Expr>,
    pub range: Range,
    /// Written with parentheses (tuples only; `ast` does not keep this).
    pub parenthesized: bool,
}

/// A list, set or generator comprehension.
#[derive(Clone)]
pub struct Comp {
    pub elt: Box<Expr>,
    pub generators: Vec<Comprehension>,
    pub range: Range,
    pub scope: ScopeId,
}

/// `ast.DictComp`: `{key: value for target in iter}`.
#[derive(Clone)]
pub struct DictComp {
    pub key: Box<Expr>,
    pub value: Box<Expr>,
    pub generators: Vec<Comprehension>,
    pub range: Range,
    pub scope: ScopeId,
}

/// `ast.comprehension`: `for target in iter if cond…`
#[derive(Clone)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    /// `async for`.
    pub is_async: bool,
}

/// `ast.Compare`: `left op0 c0 op1 c1…` (`a < b <= c`).
#[derive(Clone)]
pub struct Compare {
    pub left: Box<Expr>,
    pub ops: Vec<(CmpOp, Span)>,
    pub comparators: Vec<Expr>,
    pub range: Range,
}

/// `ast.Call`: `func(a, *args, k=v, **kwargs)`.
#[derive(Clone)]
pub struct Call {
    pub func: Box<Expr>,
    /// Positional arguments, `Expr::Starred` for `*args`.
    pub args: Vec<Expr>,
    pub keywords: Vec<Keyword>,
    pub range: Range,
    /// Filled by name resolution for `super()` without arguments in a method: what it reads
    /// instead (not Python's syntax: CPython's compiler does the same).
    pub zero_arg_super: Option<Box<SuperArgs>>,
}

/// What `super()` in a method stands for: `super(__class__, <first parameter>)`.
#[derive(Clone)]
pub struct SuperArgs {
    /// The `__class__` cell the class statement fills.
    pub class_cell: Name,
    /// The method's first parameter, if it has one.
    pub first: Option<Name>,
}

/// `ast.keyword`: `arg=value`, or `**value` when `arg` is `None`.
#[derive(Clone)]
pub struct Keyword {
    pub arg: Option<(String, Span)>,
    pub value: Expr,
    pub range: Range,
}

/// `ast.Constant`: `1`, `1.5`, `2j`, `"s"`, `b"b"`, `None`, `True`, `False`, `...`
#[derive(Clone)]
pub struct Constant {
    pub value: ConstValue,
    pub range: Range,
}

/// The value of a [`Constant`].
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    None,
    Bool(bool),
    Ellipsis,
    /// Decimal digits, with a leading `-` never present.
    Int(String),
    Float(f64),
    /// The imaginary part of a complex literal such as `2.5j`.
    Imag(f64),
    Str(String),
    Bytes(Vec<u8>),
}

/// `ast.Attribute`: `value.attr`.
#[derive(Clone)]
pub struct Attribute {
    pub value: Box<Expr>,
    pub attr: String,
    pub attr_span: Span,
    pub range: Range,
}

/// `ast.Subscript`: `value[slice]`.
#[derive(Clone)]
pub struct Subscript {
    pub value: Box<Expr>,
    pub slice: Box<Expr>,
    pub range: Range,
}

/// `ast.Starred`: `*value`, in a display, a call or a target.
#[derive(Clone)]
pub struct Starred {
    pub value: Box<Expr>,
    pub range: Range,
}

/// `ast.Yield`: `yield value` (or a bare `yield`).
#[derive(Clone)]
pub struct Yield {
    pub value: Option<Box<Expr>>,
    pub range: Range,
}

/// `ast.Name`: `name`, with what name resolution found it to be.
#[derive(Clone)]
pub struct Name {
    pub id: String,
    pub span: Span,
    /// The token as written, used verbatim when the name is a Rust binding.
    pub ident: proc_macro2::Ident,
    /// Filled by name resolution.
    pub binding: Binding,
    /// Filled by name resolution: where a deferred scope keeps its copy of a Rust value.
    pub rust_capture: Option<usize>,
}

/// Rust's keywords (strict, reserved and edition-2024) but `self`, `Self`, `super` and `crate`
/// (which cannot be raw): as a Rust binding (a name, or `$name`) each is written raw
/// (`r#match`).
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

impl Name {
    /// The name as written (before any private-name mangling): a function's or class's
    /// `__name__`.
    pub(crate) fn ident_text(&self) -> String {
        let text = self.ident.to_string();
        match text.strip_prefix("r#") {
            Some(raw) => raw.to_owned(),
            None => text,
        }
    }

    /// The Rust identifier of this name as a Rust binding: the token as written, except that a
    /// Rust keyword is written raw (`py!(match)` reads `r#match`). `self` stays as it is.
    pub(crate) fn rust_ident(&self) -> proc_macro2::Ident {
        let text = self.ident.to_string();
        if RUST_KEYWORDS.contains(&text.as_str()) {
            proc_macro2::Ident::new_raw(&text, self.ident.span())
        } else {
            self.ident.clone()
        }
    }
}

/// What a bare name refers to, decided at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Binding {
    /// Not resolved yet.
    #[default]
    Unresolved,
    /// An attribute of the `builtins` module.
    Builtin,
    /// The Rust binding of that name at the call site.
    Rust,
    /// A Python variable bound inside the macro.
    Local(LocalId),
    /// A Python variable of the macro's own scope that may or may not be bound yet at this
    /// point, falling back to the Rust binding (or the builtin) of the same name.
    LocalOrOuter(LocalId, Outer),
    /// A name in a class body: the class's namespace (of the class scope `ScopeId`) first, then,
    /// for a read the namespace lacks, what the name means around the class.
    Namespace(ScopeId, Fallback),
    /// A name that nothing binds where it is read, and that cannot be a Rust binding there
    /// (a class attribute read from a method): reading it raises `NameError`.
    Undefined,
}

/// What a name read in a class body means when the class namespace lacks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    Local(LocalId),
    LocalOrOuter(LocalId, Outer),
    Builtin,
    Rust,
    /// Nothing: `NameError` (a name the class body assigns, which nothing around it binds).
    Undefined,
}

/// What a name not bound in the macro means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outer {
    Builtin,
    Rust,
}

/// Index of a Python variable in the resolver's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub usize);

/// Index of a scope (the macro itself, a function, a class body, a comprehension) in the
/// resolver's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct ScopeId(pub usize);

/// `ast.Slice`: `lower:upper:step` inside a subscript.
#[derive(Clone)]
pub struct Slice {
    pub lower: Option<Box<Expr>>,
    pub upper: Option<Box<Expr>>,
    pub step: Option<Box<Expr>>,
    pub range: Range,
}

/// Not Python: `$name` or `$(rust expression)`, a Rust value used as a Python object.
#[derive(Clone)]
pub struct RustValue {
    pub tokens: TokenStream,
    /// The name, for the `$name` form.
    pub name: Option<String>,
    pub range: Range,
    /// Filled by name resolution: where a deferred scope (lambda, generator) keeps its copy.
    pub capture: Option<usize>,
}

impl Expr {
    pub(crate) fn range(&self) -> Range {
        match self {
            Expr::BoolOp(e) => e.range,
            Expr::NamedExpr(e) => e.range,
            Expr::BinOp(e) => e.range,
            Expr::UnaryOp(e) => e.range,
            Expr::Lambda(e) => e.range,
            Expr::IfExp(e) => e.range,
            Expr::Dict(e) => e.range,
            Expr::Set(e) | Expr::List(e) | Expr::Tuple(e) => e.range,
            Expr::ListComp(e) | Expr::SetComp(e) | Expr::GeneratorExp(e) => e.range,
            Expr::DictComp(e) => e.range,
            Expr::Compare(e) => e.range,
            Expr::Call(e) => e.range,
            Expr::Constant(e) => e.range,
            Expr::Attribute(e) => e.range,
            Expr::Subscript(e) => e.range,
            Expr::Starred(e) | Expr::YieldFrom(e) | Expr::Await(e) => e.range,
            Expr::Yield(e) => e.range,
            Expr::Name(e) => Range::single(e.span),
            Expr::Slice(e) => e.range,
            Expr::Rust(e) => e.range,
            Expr::JoinedStr(e) => e.range,
        }
    }

    /// Calls `f` on each name it binds as an assignment target (`a`, `a, (b, *c)`); an
    /// attribute or a subscript binds none.
    pub(crate) fn target_names<'a>(&'a self, f: &mut impl FnMut(&'a Name)) {
        match self {
            Expr::Name(name) => f(name),
            Expr::Tuple(t) | Expr::List(t) => {
                for elt in &t.elts {
                    elt.target_names(f);
                }
            }
            Expr::Starred(s) => s.value.target_names(f),
            _ => {}
        }
    }

    /// Calls `f` on the target of each `:=` in it, outermost first, not looking into lambdas
    /// (they run later, in a scope of their own).
    pub(crate) fn walrus_targets<'a>(&'a self, f: &mut impl FnMut(&'a Name)) {
        match self {
            Expr::NamedExpr(e) => {
                f(&e.target);
                e.value.walrus_targets(f);
            }
            Expr::Lambda(_) => {}
            other => visit::child_exprs(other, |child| child.walrus_targets(f)),
        }
    }

    /// Whether evaluating it assigns a variable with `:=` (a lambda's run later, so they do
    /// not count).
    pub(crate) fn contains_walrus(&self) -> bool {
        let mut found = false;
        self.walrus_targets(&mut |_| found = true);
        found
    }

    /// Whether it has a `yield` or `yield from` of its own scope (not in a lambda, which is a
    /// function of its own).
    pub(crate) fn yields(&self) -> bool {
        match self {
            Expr::Yield(_) | Expr::YieldFrom(_) => true,
            Expr::Lambda(_) => false,
            other => {
                let mut found = false;
                visit::child_exprs(other, |child| found = found || child.yields());
                found
            }
        }
    }

    /// The node's class name in Python's `ast` module.
    pub fn kind(&self) -> &'static str {
        match self {
            Expr::BoolOp(_) => "BoolOp",
            Expr::NamedExpr(_) => "NamedExpr",
            Expr::BinOp(_) => "BinOp",
            Expr::UnaryOp(_) => "UnaryOp",
            Expr::Lambda(_) => "Lambda",
            Expr::IfExp(_) => "IfExp",
            Expr::Dict(_) => "Dict",
            Expr::Set(_) => "Set",
            Expr::ListComp(_) => "ListComp",
            Expr::SetComp(_) => "SetComp",
            Expr::DictComp(_) => "DictComp",
            Expr::GeneratorExp(_) => "GeneratorExp",
            Expr::Compare(_) => "Compare",
            Expr::Call(_) => "Call",
            Expr::Constant(_) => "Constant",
            Expr::Attribute(_) => "Attribute",
            Expr::Subscript(_) => "Subscript",
            Expr::Starred(_) => "Starred",
            Expr::Yield(_) => "Yield",
            Expr::YieldFrom(_) => "YieldFrom",
            Expr::Await(_) => "Await",
            Expr::Name(_) => "Name",
            Expr::List(_) => "List",
            Expr::Tuple(_) => "Tuple",
            Expr::Slice(_) => "Slice",
            Expr::Rust(_) => "Rust",
            Expr::JoinedStr(_) => "JoinedStr",
        }
    }
}

/// A statement, named after `ast.stmt`. Compound statements keep Python's keywords and use
/// braces for their blocks (`if c { … } else { … }`).
#[derive(Clone)]
pub enum Stmt {
    /// `expr` — an expression evaluated for its effect.
    Expr(Expr),
    /// `a = b = value`, `x, *rest = value`, `obj.attr = value`, `d[k] = value`
    Assign {
        targets: Vec<Expr>,
        value: Expr,
        range: Range,
    },
    /// `target op= value`. For a name, `load` (filled by name resolution) is the same name as
    /// read before the assignment, which may resolve differently (to a Rust binding).
    AugAssign {
        target: Expr,
        op: Operator,
        value: Expr,
        load: Option<Name>,
        range: Range,
    },
    /// `del a, b.c, d[k]`
    Delete { targets: Vec<Expr>, range: Range },
    /// `assert test, msg`
    Assert {
        test: Expr,
        msg: Option<Expr>,
        range: Range,
    },
    /// `raise exc from cause`
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
        range: Range,
    },
    /// `pass`
    Pass(Range),
    /// `break`
    Break(Range),
    /// `continue`
    Continue(Range),
    /// `import a.b.c`, `import a.b as c`
    Import { names: Vec<Alias>, range: Range },
    /// `from a.b import c, d as e`
    ImportFrom {
        module: String,
        names: Vec<Alias>,
        range: Range,
    },
    /// `if test { body } elif … else { orelse }`
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        range: Range,
    },
    /// `for target in iter { body } else { orelse }`
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        /// `async for`.
        is_async: bool,
        range: Range,
    },
    /// `while test { body } else { orelse }`
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        range: Range,
    },
    /// `return value`: ends the block (its value) or a `def`.
    Return { value: Option<Expr>, range: Range },
    /// `try { body } except E as e { … } else { … } finally { … }`
    Try {
        body: Vec<Stmt>,
        handlers: Vec<ExceptHandler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
        range: Range,
    },
    /// `@decorator def name(params) -> returns { body }`: a Python function whose body is the
    /// block.
    FunctionDef {
        name: Name,
        args: Arguments,
        body: Vec<Stmt>,
        /// Outermost first, as written.
        decorator_list: Vec<Expr>,
        /// The return annotation.
        returns: Option<Box<Expr>>,
        /// `async def`.
        is_async: bool,
        scope: ScopeId,
        range: Range,
    },
    /// `@decorator class name(bases, keyword=value) { body }`
    ClassDef {
        name: Name,
        /// Positional arguments of the class statement, `Expr::Starred` for `*bases`.
        bases: Vec<Expr>,
        /// `metaclass=M`, other keywords, `**kwargs`.
        keywords: Vec<Keyword>,
        body: Vec<Stmt>,
        decorator_list: Vec<Expr>,
        scope: ScopeId,
        range: Range,
    },
    /// `global a, b`
    Global { names: Vec<Name>, range: Range },
    /// `nonlocal a, b`
    Nonlocal { names: Vec<Name>, range: Range },
    /// `target: annotation = value` (`value` optional); `simple` is a name written without
    /// parentheses, whose annotation a class body (or a module) keeps in `__annotations__`.
    AnnAssign {
        target: Expr,
        annotation: Expr,
        value: Option<Expr>,
        simple: bool,
        range: Range,
    },
    /// `match subject { case pattern if guard { body } … }`
    Match {
        subject: Expr,
        cases: Vec<MatchCase>,
        range: Range,
    },
    /// `with manager as target { body }` (several managers nest, as in Python).
    With {
        context: Expr,
        target: Option<Expr>,
        body: Vec<Stmt>,
        /// This `With` is a later item of the one around it (`with a, b`), not written as a
        /// `with` of its own.
        continued: bool,
        /// `async with`.
        is_async: bool,
        range: Range,
    },
}

/// `ast.match_case`: `case pattern if guard { body }`.
#[derive(Clone)]
pub struct MatchCase {
    pub pattern: Pattern,
    pub guard: Option<Expr>,
    pub body: Vec<Stmt>,
    pub range: Range,
}

/// `ast.pattern`: what a `case` matches. Capture names are [`Name`]s in a store context, so
/// that name resolution binds them as it binds assignment targets.
#[derive(Clone)]
pub enum Pattern {
    /// `1`, `-1.5`, `1 + 2j`, `"s"`, `a.b` (a dotted name): compared with `==`.
    MatchValue { value: Expr, range: Range },
    /// `None`, `True`, `False`: compared with `is`.
    MatchSingleton { value: ConstValue, range: Range },
    /// `[p, q, *rest]`, `(p, q)`, `p, q` (a star pattern at most once).
    MatchSequence {
        patterns: Vec<Pattern>,
        range: Range,
    },
    /// `{key: p, **rest}`: keys are literals or dotted names.
    MatchMapping {
        keys: Vec<Expr>,
        patterns: Vec<Pattern>,
        rest: Option<Name>,
        range: Range,
    },
    /// `Cls(p, q, attr=r)`: `cls` a dotted name.
    MatchClass {
        cls: Expr,
        patterns: Vec<Pattern>,
        kwd_attrs: Vec<(String, Span)>,
        kwd_patterns: Vec<Pattern>,
        range: Range,
    },
    /// `*rest` or `*_` (then `name` is `None`), only inside a sequence pattern.
    MatchStar { name: Option<Name>, range: Range },
    /// `p as name`, a capture `name` (no pattern), or the wildcard `_` (neither).
    MatchAs {
        pattern: Option<Box<Pattern>>,
        name: Option<Name>,
        range: Range,
    },
    /// `p | q | r`
    MatchOr {
        patterns: Vec<Pattern>,
        range: Range,
    },
}

impl Pattern {
    pub(crate) fn range(&self) -> Range {
        match self {
            Pattern::MatchValue { range, .. }
            | Pattern::MatchSingleton { range, .. }
            | Pattern::MatchSequence { range, .. }
            | Pattern::MatchMapping { range, .. }
            | Pattern::MatchClass { range, .. }
            | Pattern::MatchStar { range, .. }
            | Pattern::MatchAs { range, .. }
            | Pattern::MatchOr { range, .. } => *range,
        }
    }
}

/// `ast.ExceptHandler`: `except type as name { body }`.
#[derive(Clone)]
pub struct ExceptHandler {
    pub type_: Option<Expr>,
    /// The `as` name, as a target.
    pub name: Option<Name>,
    pub body: Vec<Stmt>,
    pub range: Range,
}

impl Stmt {
    /// Whether it ends with a block in braces (so no `;` is needed after it).
    pub(crate) fn is_compound(&self) -> bool {
        matches!(
            self,
            Stmt::If { .. }
                | Stmt::For { .. }
                | Stmt::While { .. }
                | Stmt::Try { .. }
                | Stmt::With { .. }
                | Stmt::Match { .. }
                | Stmt::FunctionDef { .. }
                | Stmt::ClassDef { .. }
        )
    }
}

impl Stmt {
    /// Calls `f` on each name the statement binds directly in its scope (not those of its
    /// blocks, nor `:=` inside its expressions).
    pub(crate) fn bound_names<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        let mut push = |name: &'a Name| f(&name.id);
        match self {
            Stmt::Assign { targets, .. } | Stmt::Delete { targets, .. } => {
                for target in targets {
                    target.target_names(&mut push);
                }
            }
            Stmt::AugAssign { target, .. }
            | Stmt::For { target, .. }
            | Stmt::AnnAssign { target, .. } => target.target_names(&mut push),
            Stmt::With { target, .. } => {
                if let Some(target) = target {
                    target.target_names(&mut push);
                }
            }
            Stmt::FunctionDef { name, .. } | Stmt::ClassDef { name, .. } => push(name),
            Stmt::Match { cases, .. } => {
                for case in cases {
                    visit::pattern_names(&case.pattern, &mut push);
                }
            }
            Stmt::Try { handlers, .. } => {
                for handler in handlers {
                    if let Some(name) = &handler.name {
                        push(name);
                    }
                }
            }
            Stmt::Import { names, .. } | Stmt::ImportFrom { names, .. } => {
                for alias in names {
                    f(alias.bound_name());
                }
            }
            Stmt::Expr(_)
            | Stmt::Assert { .. }
            | Stmt::Raise { .. }
            | Stmt::Pass(_)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::If { .. }
            | Stmt::While { .. }
            | Stmt::Return { .. }
            | Stmt::Global { .. }
            | Stmt::Nonlocal { .. } => {}
        }
    }
}

/// Calls `f` on each `global` (`true`) and `nonlocal` (`false`) declaration of a scope whose
/// body is `body`: in its statements and their blocks, not in the functions and classes it
/// defines (their scopes are their own).
pub(crate) fn scope_declarations<'a>(body: &'a [Stmt], f: &mut impl FnMut(&'a Name, bool)) {
    for stmt in body {
        match stmt {
            Stmt::Global { names, .. } => names.iter().for_each(|n| f(n, true)),
            Stmt::Nonlocal { names, .. } => names.iter().for_each(|n| f(n, false)),
            Stmt::FunctionDef { .. } | Stmt::ClassDef { .. } => {}
            other => visit::stmt_blocks(other, |block| scope_declarations(block, f)),
        }
    }
}

/// `ast.alias`: `name as asname` in an import.
#[derive(Clone)]
pub struct Alias {
    /// The dotted name, as written.
    pub name: String,
    pub asname: Option<String>,
    pub range: Range,
    /// Filled by name resolution: the variable the import binds.
    pub binding: Binding,
}

impl Alias {
    /// The name the import binds: the alias, else (for `import`) the first component.
    pub(crate) fn bound_name(&self) -> &str {
        match &self.asname {
            Some(a) => a,
            None => self.name.split('.').next().unwrap_or(&self.name),
        }
    }
}

/// Whether a function's body has a `yield` or `yield from` of its own (which makes the
/// function a generator), not in the functions and classes it defines.
pub(crate) fn body_yields(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|stmt| {
        let mut found = false;
        if !matches!(stmt, Stmt::FunctionDef { .. } | Stmt::ClassDef { .. }) {
            visit::stmt_blocks(stmt, |block| found = found || body_yields(block));
        }
        visit::stmt_exprs(stmt, |e| found = found || e.yields());
        found
    })
}
