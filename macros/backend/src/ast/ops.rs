//! Syntax tree, operators: each of Python's operators once, with its text, its name in `ast`,
//! its precedence and what the expansion calls to apply it.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Binding strength, loosest first (Python's `ast._Precedence`).
///
/// ```
/// use pycall_backend::ast::{Operator, Precedence};
/// assert!(Operator::Mult.precedence() > Operator::Add.precedence());
/// assert_eq!(Precedence::Arith.next(), Precedence::Term);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Precedence {
    Tuple,
    Named,
    Test,
    Or,
    And,
    Not,
    Cmp,
    BOr,
    BXor,
    BAnd,
    Shift,
    Arith,
    Term,
    Factor,
    Power,
    Atom,
}

impl Precedence {
    /// The level that binds one step tighter.
    pub fn next(self) -> Self {
        use Precedence::*;
        match self {
            Tuple => Named,
            Named => Test,
            Test => Or,
            Or => And,
            And => Not,
            Not => Cmp,
            Cmp => BOr,
            BOr => BXor,
            BXor => BAnd,
            BAnd => Shift,
            Shift => Arith,
            Arith => Term,
            Term => Factor,
            Factor => Power,
            Power | Atom => Atom,
        }
    }
}

/// An operator enum and its table: each row is a variant, its Python text and its precedence,
/// then (in a table with a `->` type) what the expansion calls for it.
macro_rules! operators {
    (
        $(#[$doc:meta])*
        pub enum $name:ident -> $function:ty {
            $($variant:ident = $text:literal, $precedence:ident, $call:expr;)*
        }
    ) => {
        operators! {
            $(#[$doc])*
            pub enum $name {
                $($variant = $text, $precedence;)*
            }
        }

        impl $name {
            /// What the expansion calls to apply it (paths under `::pycall::__private`).
            pub(crate) fn function(self) -> $function {
                match self {
                    $($name::$variant => $call,)*
                }
            }
        }
    };
    (
        $(#[$doc:meta])*
        pub enum $name:ident {
            $($variant:ident = $text:literal, $precedence:ident;)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $name {
            $(#[doc = concat!("`", $text, "`")] $variant,)*
        }

        impl $name {
            /// Every one, in `ast`'s order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// As Python writes it.
            pub fn text(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// Its class name in Python's `ast` module.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)*
                }
            }

            /// How tightly it binds its operands.
            pub fn precedence(self) -> Precedence {
                match self {
                    $($name::$variant => Precedence::$precedence,)*
                }
            }
        }
    };
}

operators! {
    /// `ast.operator`: the binary operators, also those of augmented assignment (`a += b`).
    ///
    /// ```
    /// use pycall_backend::ast::Operator;
    /// assert_eq!(Operator::FloorDiv.text(), "//");
    /// assert_eq!(Operator::FloorDiv.name(), "FloorDiv");
    /// ```
    pub enum Operator -> TokenStream {
        Add = "+", Arith, quote!(add);
        Sub = "-", Arith, quote!(sub);
        Mult = "*", Term, quote!(mul);
        MatMult = "@", Term, quote!(PyAnyMethods::matmul);
        Div = "/", Term, quote!(true_div);
        Mod = "%", Term, quote!(rem);
        Pow = "**", Power, quote!(pow);
        LShift = "<<", Shift, quote!(PyAnyMethods::lshift);
        RShift = ">>", Shift, quote!(PyAnyMethods::rshift);
        BitOr = "|", BOr, quote!(PyAnyMethods::bitor);
        BitXor = "^", BXor, quote!(PyAnyMethods::bitxor);
        BitAnd = "&", BAnd, quote!(PyAnyMethods::bitand);
        FloorDiv = "//", Term, quote!(floor_div);
    }
}

impl Operator {
    /// The operand of `__private::inplace` for its augmented assignment: `InplaceOp` names its
    /// variants after `ast`, as this enum does.
    pub(crate) fn inplace(self) -> TokenStream {
        let variant = Ident::new(self.name(), Span::call_site());
        quote!(InplaceOp::#variant)
    }
}

operators! {
    /// `ast.unaryop`
    pub enum UnaryOperator -> TokenStream {
        Invert = "~", Factor, quote!(PyAnyMethods::bitnot);
        Not = "not", Not, quote!(not);
        UAdd = "+", Factor, quote!(PyAnyMethods::pos);
        USub = "-", Factor, quote!(PyAnyMethods::neg);
    }
}

operators! {
    /// `ast.boolop`: evaluated by the expansion itself, since it decides what runs.
    pub enum BoolOperator {
        And = "and", And;
        Or = "or", Or;
    }
}

operators! {
    /// `ast.cmpop`
    pub enum CmpOp -> Comparison {
        Eq = "==", Cmp, Comparison::Rich("Eq");
        NotEq = "!=", Cmp, Comparison::Rich("Ne");
        Lt = "<", Cmp, Comparison::Rich("Lt");
        LtE = "<=", Cmp, Comparison::Rich("Le");
        Gt = ">", Cmp, Comparison::Rich("Gt");
        GtE = ">=", Cmp, Comparison::Rich("Ge");
        Is = "is", Cmp, Comparison::Infallible(quote!(is));
        IsNot = "is not", Cmp, Comparison::Infallible(quote!(is_not));
        In = "in", Cmp, Comparison::Fallible(quote!(contains));
        NotIn = "not in", Cmp, Comparison::Fallible(quote!(not_contains));
    }
}

/// How the expansion applies a comparison operator.
pub(crate) enum Comparison {
    /// `__private::compare` with this `pyo3::basic::CompareOp`.
    Rich(&'static str),
    /// A function of `__private` that cannot fail (identity).
    Infallible(TokenStream),
    /// A function of `__private` that returns a `PyResult` (membership).
    Fallible(TokenStream),
}
