//! Parsing, statements: Python's simple statements separated by `;`, compound statements with
//! their blocks in braces.

use super::tokens::*;
use super::{Cx, check_target, describe_target, error_here};
use crate::ast::*;
use proc_macro2::{Delimiter, Span};
use syn::parse::ParseStream;

/// Whether the token after the next one is the keyword `word` (`async def`).
fn peek_kw_after(input: ParseStream, word: &str) -> bool {
    input
        .cursor()
        .token_tree()
        .and_then(|(_, rest)| rest.ident())
        .is_some_and(|(ident, _)| ident == word)
}

/// Words that start a statement Python has but `py!` does not take (yet).
const UNSUPPORTED: &[&str] = &["async"];

impl Cx {
    /// The statements of the macro's own block, then its value: a final expression statement
    /// not followed by `;`. Stops before a trailing `as T`.
    pub(super) fn parse_top_block(
        &self,
        input: ParseStream,
    ) -> syn::Result<(Vec<Stmt>, Option<Expr>)> {
        let mut stmts = Vec::new();
        loop {
            if input.is_empty() || input.peek(syn::Token![as]) {
                return Ok((stmts, None));
            }
            let stmt = self.parse_statement(input)?;
            let compound = stmt.is_compound();
            if peek_op(input, ";") {
                eat_puncts(input, 1)?;
                stmts.push(stmt);
                continue;
            }
            if input.is_empty() || input.peek(syn::Token![as]) {
                if let Stmt::Expr(value) = stmt {
                    return Ok((stmts, Some(value)));
                }
                if input.peek(syn::Token![as]) {
                    return Err(error_here(
                        input,
                        "`as T` must follow the block's final expression, not a statement",
                    ));
                }
                stmts.push(stmt);
                return Ok((stmts, None));
            }
            if compound {
                stmts.push(stmt);
                continue;
            }
            return Err(self.missing_semicolon(input));
        }
    }

    fn missing_semicolon(&self, input: ParseStream) -> syn::Error {
        const STATEMENT_WORDS: &[&str] = &[
            "pass", "break", "continue", "del", "assert", "raise", "import", "from", "if", "while",
            "return", "with", "try", "def", "class", "global", "nonlocal",
        ];
        let starts_statement = input
            .cursor()
            .ident()
            .is_some_and(|(i, _)| STATEMENT_WORDS.contains(&ident_text(&i).as_str()))
            || (input.cursor().ident().is_some() && punct_at(input, 1) == Some('='));
        if !starts_statement {
            return self.unexpected(input);
        }
        error_here(
            input,
            format!(
                "expected `;` between statements, found {}",
                describe_next(input)
            ),
        )
    }

    /// The statements inside a `{ … }` block.
    pub(super) fn parse_braced_block(
        &self,
        input: ParseStream,
        after: &str,
    ) -> syn::Result<Vec<Stmt>> {
        if !peek_group(input, Delimiter::Brace) {
            return Err(error_here(
                input,
                format!("expected `{{` after {after}: `py!` writes Python's blocks in braces"),
            ));
        }
        let content;
        let brace = syn::braced!(content in input);
        self.nested(brace.span.open(), || {
            let mut stmts = Vec::new();
            while !content.is_empty() {
                let stmt = self.parse_statement(&content)?;
                let compound = stmt.is_compound();
                stmts.push(stmt);
                if peek_op(&content, ";") {
                    eat_puncts(&content, 1)?;
                } else if !content.is_empty() && !compound {
                    return Err(self.missing_semicolon(&content));
                }
            }
            Ok(stmts)
        })
    }

    pub(super) fn parse_statement(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = input.span();
        if peek_op(input, "@") {
            return self.parse_decorated(input);
        }
        if let Some((ident, _)) = input.cursor().ident() {
            let word = ident_text(&ident);
            match word.as_str() {
                "pass" | "break" | "continue" => {
                    eat_kw(input, &word)?;
                    let range = Range::single(start);
                    return Ok(match word.as_str() {
                        "pass" => Stmt::Pass(range),
                        "break" => Stmt::Break(range),
                        _ => Stmt::Continue(range),
                    });
                }
                "del" => return self.parse_del(input),
                "assert" => return self.parse_assert(input),
                "raise" => return self.parse_raise(input),
                "import" => return self.parse_import(input),
                "from" => return self.parse_from_import(input),
                "if" => return self.parse_if(input),
                "for" => return self.parse_for(input),
                "while" => return self.parse_while(input),
                "return" => {
                    let start = eat_kw(input, "return")?;
                    let value = if self.starts_expression(input) {
                        Some(self.parse_star_list(input, false)?)
                    } else {
                        None
                    };
                    let range = Range::new(start, input.cursor().prev_span());
                    return Ok(Stmt::Return { value, range });
                }
                "try" => return self.parse_try(input),
                "def" => return self.parse_def(input, Vec::new()),
                "async" if peek_kw_after(input, "def") => {
                    return self.parse_def(input, Vec::new());
                }
                "async" if peek_kw_after(input, "for") => return self.parse_for(input),
                "async" if peek_kw_after(input, "with") => return self.parse_with(input),
                "class" => return self.parse_class(input, Vec::new()),
                "global" | "nonlocal" => return self.parse_global(input, &word),
                "with" => return self.parse_with(input),
                "match" if super::pattern::starts_match(input) => return self.parse_match(input),
                "elif" | "else" | "except" | "finally" => {
                    let opener = if word == "else" || word == "elif" {
                        "`if`, `for`, `while` or `try`"
                    } else {
                        "`try`"
                    };
                    return Err(syn::Error::new(
                        start,
                        format!("`{word}` without a matching {opener}"),
                    ));
                }
                w if UNSUPPORTED.contains(&w) => {
                    return Err(syn::Error::new(
                        start,
                        format!("`{w}` statements are not supported in `py!` yet"),
                    ));
                }
                _ => {}
            }
        }
        self.parse_expression_statement(input)
    }

    /// `star_expressions`: a comma-separated list where `*x` is allowed (a tuple if there is a
    /// comma).
    /// `named`: the items may be `name := value` (as a `match` subject's).
    pub(super) fn parse_star_list_expr(&self, input: ParseStream) -> syn::Result<Expr> {
        self.parse_star_list(input, false)
    }

    pub(super) fn parse_star_list(&self, input: ParseStream, named: bool) -> syn::Result<Expr> {
        let first = self.parse_star_expr(input, named)?;
        if !peek_op(input, ",") {
            return Ok(first);
        }
        let start = first.range().start;
        let mut elts = vec![first];
        while peek_op(input, ",") {
            eat_puncts(input, 1)?;
            if !self.starts_expression(input) {
                break;
            }
            elts.push(self.parse_star_expr(input, named)?);
        }
        Ok(Expr::Tuple(Elts {
            elts,
            range: Range::new(start, input.cursor().prev_span()),
            parenthesized: false,
        }))
    }

    /// The augmented-assignment operator at the next tokens (an operator with `=` joined to
    /// it), and how many tokens it takes.
    fn peek_aug_op(&self, input: ParseStream) -> Option<(Operator, usize)> {
        Operator::ALL.iter().find_map(|&op| {
            let len = peek_operator(input, op.text())?;
            equals_after(input, len).then_some((op, len + 1))
        })
    }

    fn parse_expression_statement(&self, input: ParseStream) -> syn::Result<Stmt> {
        if !self.starts_value(input) {
            return Err(self.expected_expression(input, None));
        }
        let parenthesized = peek_group(input, Delimiter::Parenthesis);
        let first = self.parse_value_list(input)?;
        if let Some((op, len)) = self.peek_aug_op(input) {
            let (op_span, _) = eat_puncts(input, len)?;
            match &first {
                Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {}
                other => {
                    return Err(other.range().error(format!(
                        "'{}' is an illegal expression for augmented assignment",
                        describe_target(other)
                    )));
                }
            }
            if !self.starts_value(input) {
                return Err(syn::Error::new(
                    op_span,
                    "expected an expression after the operator",
                ));
            }
            let value = self.parse_value_list(input)?;
            let range = first.range().to(value.range());
            return Ok(Stmt::AugAssign {
                target: first,
                op,
                value,
                load: None,
                range,
            });
        }
        if peek_colon(input) {
            return self.parse_annotated(input, first, parenthesized);
        }
        if !peek_op(input, "=") || peek_op(input, "==") {
            if let Expr::Starred(s) = &first {
                return Err(s.range.error("can't use starred expression here"));
            }
            return Ok(Stmt::Expr(first));
        }
        let mut targets = vec![first];
        let mut value = None;
        while peek_op(input, "=") && !peek_op(input, "==") {
            let (eq, _) = eat_puncts(input, 1)?;
            if !self.starts_value(input) {
                return Err(syn::Error::new(eq, "expected a value after `=`"));
            }
            let next = self.parse_value_list(input)?;
            if let Some(previous) = value.replace(next) {
                targets.push(previous);
            }
        }
        let Some(value) = value else {
            return Err(error_here(input, "expected a value after `=`"));
        };
        for target in &targets {
            check_assign_target(target)?;
        }
        if let Expr::Starred(s) = &value {
            return Err(s.range.error("can't use starred expression here"));
        }
        let range = targets[0].range().to(value.range());
        Ok(Stmt::Assign {
            targets,
            value,
            range,
        })
    }

    fn parse_del(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "del")?;
        if !self.starts_expression(input) {
            return Err(syn::Error::new(start, "expected a target after `del`"));
        }
        let list = self.parse_star_list(input, false)?;
        let targets = match list {
            Expr::Tuple(t) if !t.parenthesized => t.elts,
            other => vec![other],
        };
        for t in &targets {
            check_del_target(t)?;
        }
        Ok(Stmt::Delete {
            targets,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_assert(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "assert")?;
        if !self.starts_expression(input) {
            return Err(syn::Error::new(
                start,
                "expected an expression after `assert`",
            ));
        }
        let test = self.parse_expr(input)?;
        let msg = if peek_op(input, ",") {
            eat_puncts(input, 1)?;
            Some(self.parse_expr(input)?)
        } else {
            None
        };
        Ok(Stmt::Assert {
            test,
            msg,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_raise(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "raise")?;
        if !self.starts_expression(input) {
            let range = Range::new(start, input.cursor().prev_span());
            return Ok(Stmt::Raise {
                exc: None,
                cause: None,
                range,
            });
        }
        let exc = self.parse_expr(input)?;
        let cause = if peek_kw(input, "from") {
            let from = eat_kw(input, "from")?;
            if !self.starts_expression(input) {
                return Err(syn::Error::new(from, "expected an expression after `from`"));
            }
            Some(self.parse_expr(input)?)
        } else {
            None
        };
        Ok(Stmt::Raise {
            exc: Some(exc),
            cause,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    /// `a.b.c` in an import.
    fn parse_dotted_name(&self, input: ParseStream, after: Span) -> syn::Result<(String, Range)> {
        let Some((first, _)) = input.cursor().ident() else {
            return Err(syn::Error::new(after, "expected a module name"));
        };
        let mut name = ident_text(&first);
        let start = first.span();
        input.step(|c| {
            c.token_tree()
                .map(|(_, r)| ((), r))
                .ok_or_else(|| c.error(""))
        })?;
        while peek_op(input, ".") {
            let (dot, _) = eat_puncts(input, 1)?;
            let Some((part, _)) = input.cursor().ident() else {
                return Err(syn::Error::new(dot, "expected a name after `.`"));
            };
            name.push('.');
            name.push_str(&ident_text(&part));
            input.step(|c| {
                c.token_tree()
                    .map(|(_, r)| ((), r))
                    .ok_or_else(|| c.error(""))
            })?;
        }
        Ok((name, Range::new(start, input.cursor().prev_span())))
    }

    fn parse_alias_name(&self, input: ParseStream) -> syn::Result<Option<String>> {
        if !input.peek(syn::Token![as]) {
            return Ok(None);
        }
        let as_span = eat_kw(input, "as")?;
        match input.cursor().ident() {
            Some((ident, _)) => {
                input.step(|c| {
                    c.token_tree()
                        .map(|(_, r)| ((), r))
                        .ok_or_else(|| c.error(""))
                })?;
                Ok(Some(ident_text(&ident)))
            }
            None => Err(syn::Error::new(as_span, "expected a name after `as`")),
        }
    }

    fn parse_import(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "import")?;
        let mut names = Vec::new();
        loop {
            let (name, range) = self.parse_dotted_name(input, start)?;
            let asname = self.parse_alias_name(input)?;
            names.push(Alias {
                name,
                asname,
                range,
                binding: Binding::Unresolved,
            });
            if !peek_op(input, ",") {
                break;
            }
            eat_puncts(input, 1)?;
        }
        Ok(Stmt::Import {
            names,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_from_import(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "from")?;
        if peek_op(input, ".") {
            return Err(error_here(
                input,
                "relative imports are not possible in `py!`: it is not inside a package",
            ));
        }
        let (module, _) = self.parse_dotted_name(input, start)?;
        if !peek_kw(input, "import") {
            return Err(error_here(input, "expected `import` after the module name"));
        }
        let import = eat_kw(input, "import")?;
        if peek_op(input, "*") {
            return Err(error_here(
                input,
                "`from … import *` is not supported in `py!`",
            ));
        }
        let parse_names = |input: ParseStream| -> syn::Result<Vec<Alias>> {
            let mut names = Vec::new();
            while !input.is_empty() && !peek_op(input, ";") {
                let Some((ident, _)) = input.cursor().ident() else {
                    return Err(error_here(input, "expected a name to import"));
                };
                let name = ident_text(&ident);
                input.step(|c| {
                    c.token_tree()
                        .map(|(_, r)| ((), r))
                        .ok_or_else(|| c.error(""))
                })?;
                let asname = self.parse_alias_name(input)?;
                names.push(Alias {
                    name,
                    asname,
                    range: Range::single(ident.span()),
                    binding: Binding::Unresolved,
                });
                if !peek_op(input, ",") {
                    break;
                }
                eat_puncts(input, 1)?;
            }
            Ok(names)
        };
        let names = if peek_group(input, Delimiter::Parenthesis) {
            let content;
            syn::parenthesized!(content in input);
            let names = parse_names(&content)?;
            if !content.is_empty() {
                return Err(error_here(&content, "expected `,` between imported names"));
            }
            names
        } else {
            parse_names(input)?
        };
        if names.is_empty() {
            return Err(syn::Error::new(
                import,
                "expected a name to import after `import`",
            ));
        }
        Ok(Stmt::ImportFrom {
            module,
            names,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_condition(&self, input: ParseStream, word: &str, span: Span) -> syn::Result<Expr> {
        if !self.starts_expression(input)
            || peek_group(input, Delimiter::Brace) && {
                let fork = input.fork();
                let _ = fork.parse::<proc_macro2::TokenTree>();
                fork.is_empty() || peek_kw(&fork, "else") || peek_kw(&fork, "elif")
            }
        {
            return Err(syn::Error::new(
                span,
                format!("expected a condition after `{word}`"),
            ));
        }
        self.parse_named(input)
    }

    fn parse_if(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "if")?;
        self.parse_if_rest(input, start, "if")
    }

    fn parse_if_rest(&self, input: ParseStream, start: Span, word: &str) -> syn::Result<Stmt> {
        let test = self.parse_condition(input, word, start)?;
        let body = self.parse_braced_block(input, &format!("the `{word}` condition"))?;
        let orelse = if peek_kw(input, "elif") {
            let elif = eat_kw(input, "elif")?;
            vec![self.parse_if_rest(input, elif, "elif")?]
        } else if peek_kw(input, "else") {
            eat_kw(input, "else")?;
            self.parse_braced_block(input, "`else`")?
        } else {
            Vec::new()
        };
        Ok(Stmt::If {
            test,
            body,
            orelse,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_for(&self, input: ParseStream) -> syn::Result<Stmt> {
        let is_async = peek_kw(input, "async");
        let start = if is_async {
            let start = eat_kw(input, "async")?;
            eat_kw(input, "for")?;
            start
        } else {
            eat_kw(input, "for")?
        };
        if input.is_empty() || peek_kw(input, "in") {
            return Err(syn::Error::new(start, "expected a target after `for`"));
        }
        let target = self.parse_targets(input)?;
        if !peek_kw(input, "in") {
            return Err(error_here(input, "expected `in` after the loop's target"));
        }
        let in_span = eat_kw(input, "in")?;
        if !self.starts_expression(input)
            || peek_group(input, Delimiter::Brace) && {
                let fork = input.fork();
                let _ = fork.parse::<proc_macro2::TokenTree>();
                fork.is_empty() || peek_kw(&fork, "else")
            }
        {
            return Err(syn::Error::new(in_span, "expected an iterable after `in`"));
        }
        let iter = self.parse_star_list(input, false)?;
        let body = self.parse_braced_block(input, "the `for` header")?;
        let orelse = if peek_kw(input, "else") {
            eat_kw(input, "else")?;
            self.parse_braced_block(input, "`else`")?
        } else {
            Vec::new()
        };
        Ok(Stmt::For {
            target,
            iter,
            body,
            orelse,
            is_async,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_while(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "while")?;
        let test = self.parse_condition(input, "while", start)?;
        let body = self.parse_braced_block(input, "the `while` condition")?;
        let orelse = if peek_kw(input, "else") {
            eat_kw(input, "else")?;
            self.parse_braced_block(input, "`else`")?
        } else {
            Vec::new()
        };
        Ok(Stmt::While {
            test,
            body,
            orelse,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }
}

impl Cx {
    fn parse_try(&self, input: ParseStream) -> syn::Result<Stmt> {
        let start = eat_kw(input, "try")?;
        let body = self.parse_braced_block(input, "`try`")?;
        let mut handlers: Vec<ExceptHandler> = Vec::new();
        while peek_kw(input, "except") {
            let except = eat_kw(input, "except")?;
            if let Some(previous) = handlers.last()
                && previous.type_.is_none()
            {
                return Err(syn::Error::new(except, "default `except` must be last"));
            }
            if peek_op(input, "*") {
                return Err(error_here(
                    input,
                    "`except*` (exception groups) is not supported in `py!`",
                ));
            }
            let type_ = if peek_group(input, Delimiter::Brace) {
                None
            } else {
                Some(self.parse_expr(input)?)
            };
            let name = if input.peek(syn::Token![as]) {
                let as_span = eat_kw(input, "as")?;
                let Some((ident, _)) = input.cursor().ident() else {
                    return Err(syn::Error::new(as_span, "expected a name after `as`"));
                };
                input.step(|c| {
                    c.token_tree()
                        .map(|(_, r)| ((), r))
                        .ok_or_else(|| c.error(""))
                })?;
                Some(Name {
                    id: ident_text(&ident),
                    span: ident.span(),
                    ident: ident.clone(),
                    binding: Binding::Unresolved,
                    rust_capture: None,
                })
            } else {
                None
            };
            let handler_body = self.parse_braced_block(input, "`except`")?;
            handlers.push(ExceptHandler {
                type_,
                name,
                body: handler_body,
                range: Range::new(except, input.cursor().prev_span()),
            });
        }
        let orelse = if peek_kw(input, "else") {
            let else_span = eat_kw(input, "else")?;
            if handlers.is_empty() {
                return Err(syn::Error::new(
                    else_span,
                    "`else` of a `try` needs an `except` before it",
                ));
            }
            self.parse_braced_block(input, "`else`")?
        } else {
            Vec::new()
        };
        let finalbody = if peek_kw(input, "finally") {
            eat_kw(input, "finally")?;
            self.parse_braced_block(input, "`finally`")?
        } else {
            Vec::new()
        };
        if handlers.is_empty() && finalbody.is_empty() {
            return Err(syn::Error::new(
                start,
                "expected `except` or `finally` after the `try` block",
            ));
        }
        Ok(Stmt::Try {
            body,
            handlers,
            orelse,
            finalbody,
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    // annotated_rhs after `target:`: `target: annotation` or `target: annotation = value`
    fn parse_annotated(
        &self,
        input: ParseStream,
        target: Expr,
        parenthesized: bool,
    ) -> syn::Result<Stmt> {
        match &target {
            Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {}
            Expr::Tuple(_) | Expr::List(_) => {
                return Err(target
                    .range()
                    .error("only single target (not tuple) can be annotated"));
            }
            other => {
                return Err(other.range().error(format!(
                    "illegal target for annotation: cannot annotate {}",
                    describe_target(other)
                )));
            }
        }
        let (colon, _) = eat_puncts(input, 1)?;
        if !self.starts_expression(input) {
            return Err(syn::Error::new(colon, "expected an annotation after `:`"));
        }
        let annotation = self.parse_expr(input)?;
        let value = if peek_op(input, "=") && !peek_op(input, "==") {
            let (eq, _) = eat_puncts(input, 1)?;
            if !self.starts_value(input) {
                return Err(syn::Error::new(eq, "expected a value after `=`"));
            }
            let value = self.parse_value_list(input)?;
            if let Expr::Starred(s) = &value {
                return Err(s.range.error("can't use starred expression here"));
            }
            Some(value)
        } else {
            None
        };
        let end = value.as_ref().map_or(annotation.range(), Expr::range);
        let range = target.range().to(end);
        Ok(Stmt::AnnAssign {
            simple: matches!(target, Expr::Name(_)) && !parenthesized,
            target,
            annotation,
            value,
            range,
        })
    }

    // decorators: ('@' named_expression)+ followed by a `def` or a `class`. In `py!` a
    // decorator has no line of its own: it goes on to the next `@`, `def`, `class` or `async`
    // at its own level (a matrix product in a decorator needs parentheses).
    fn parse_decorated(&self, input: ParseStream) -> syn::Result<Stmt> {
        let mut decorators = Vec::new();
        while peek_op(input, "@") {
            let (at, _) = eat_puncts(input, 1)?;
            let mut tokens = proc_macro2::TokenStream::new();
            while !input.is_empty()
                && !peek_op(input, "@")
                && !peek_kw(input, "def")
                && !peek_kw(input, "class")
                && !peek_kw(input, "async")
            {
                let tree: proc_macro2::TokenTree = input.parse()?;
                tokens.extend([tree]);
            }
            if tokens.is_empty() {
                return Err(syn::Error::new(
                    at,
                    "expected a decorator expression after `@`",
                ));
            }
            let decorator = syn::parse::Parser::parse2(
                |content: ParseStream| {
                    let expr = self.nested(at, || self.parse_named(content))?;
                    if !content.is_empty() {
                        return Err(error_here(
                            content,
                            "expected `def`, `class` or another `@` after the decorator",
                        ));
                    }
                    Ok(expr)
                },
                tokens,
            )?;
            decorators.push(decorator);
        }
        if peek_kw(input, "def") || (peek_kw(input, "async") && peek_kw_after(input, "def")) {
            self.parse_def(input, decorators)
        } else if peek_kw(input, "class") {
            self.parse_class(input, decorators)
        } else if peek_kw(input, "async") {
            Err(error_here(
                input,
                "`async` statements are not supported in `py!` yet",
            ))
        } else {
            Err(error_here(
                input,
                "expected `def` or `class` after the decorators",
            ))
        }
    }

    // global_stmt: 'global' NAME (',' NAME)*, and the same for 'nonlocal'
    fn parse_global(&self, input: ParseStream, word: &str) -> syn::Result<Stmt> {
        let start = eat_kw(input, word)?;
        let mut names = Vec::new();
        loop {
            let Some((ident, _)) = input.cursor().ident() else {
                return Err(error_here(
                    input,
                    format!(
                        "expected a name after `{word}`, found {}",
                        describe_next(input)
                    ),
                ));
            };
            let id = ident_text(&ident);
            if KEYWORDS.contains(&id.as_str()) {
                return Err(syn::Error::new(
                    ident.span(),
                    format!("invalid syntax: `{id}` is a keyword"),
                ));
            }
            input.parse::<proc_macro2::TokenTree>()?;
            names.push(Name {
                id,
                span: ident.span(),
                ident: ident.clone(),
                binding: Binding::Unresolved,
                rust_capture: None,
            });
            if !peek_op(input, ",") {
                break;
            }
            eat_puncts(input, 1)?;
        }
        let range = Range::new(start, input.cursor().prev_span());
        Ok(if word == "global" {
            Stmt::Global { names, range }
        } else {
            Stmt::Nonlocal { names, range }
        })
    }

    /// The name after `def` or `class`.
    fn parse_definition_name(
        &self,
        input: ParseStream,
        start: Span,
        what: &str,
    ) -> syn::Result<Name> {
        let Some((ident, _)) = input.cursor().ident() else {
            return Err(syn::Error::new(
                start,
                format!(
                    "expected the {what}'s name after `{}`",
                    if what == "class" { "class" } else { "def" }
                ),
            ));
        };
        let id = ident_text(&ident);
        if KEYWORDS.contains(&id.as_str()) {
            return Err(syn::Error::new(
                ident.span(),
                format!("invalid syntax: `{id}` is a keyword"),
            ));
        }
        input.parse::<proc_macro2::TokenTree>()?;
        Ok(Name {
            id,
            span: ident.span(),
            ident: ident.clone(),
            binding: Binding::Unresolved,
            rust_capture: None,
        })
    }

    // class_def: decorators? 'class' NAME ['(' [arguments] ')'] block
    fn parse_class(&self, input: ParseStream, decorator_list: Vec<Expr>) -> syn::Result<Stmt> {
        let start = eat_kw(input, "class")?;
        let name = self.parse_definition_name(input, start, "class")?;
        let (bases, keywords) = if peek_group(input, Delimiter::Parenthesis) {
            let content;
            let paren = syn::parenthesized!(content in input);
            self.nested(paren.span.open(), || self.parse_arguments(&content))?
        } else {
            (Vec::new(), Vec::new())
        };
        if let Some(generator) = bases.iter().find(|b| matches!(b, Expr::GeneratorExp(_))) {
            return Err(generator
                .range()
                .error("invalid syntax: a class's bases cannot be a generator expression"));
        }
        let body = self.parse_braced_block(input, "the class's name and bases")?;
        let start = decorator_list.first().map_or(start, |d| d.range().start);
        Ok(Stmt::ClassDef {
            name,
            bases,
            keywords,
            body,
            decorator_list,
            scope: ScopeId::default(),
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_def(&self, input: ParseStream, decorator_list: Vec<Expr>) -> syn::Result<Stmt> {
        let is_async = peek_kw(input, "async");
        let start = if is_async {
            let start = eat_kw(input, "async")?;
            eat_kw(input, "def")?;
            start
        } else {
            eat_kw(input, "def")?
        };
        let Some((ident, _)) = input.cursor().ident() else {
            return Err(syn::Error::new(
                start,
                "expected the function's name after `def`",
            ));
        };
        let id = ident_text(&ident);
        if KEYWORDS.contains(&id.as_str()) {
            return Err(syn::Error::new(
                ident.span(),
                format!("invalid syntax: `{id}` is a keyword"),
            ));
        }
        input.step(|c| {
            c.token_tree()
                .map(|(_, r)| ((), r))
                .ok_or_else(|| c.error(""))
        })?;
        if !peek_group(input, Delimiter::Parenthesis) {
            return Err(error_here(
                input,
                "expected `(` and the parameters after the function's name",
            ));
        }
        let content;
        syn::parenthesized!(content in input);
        let args = self.parse_params(&content, true)?;
        if !content.is_empty() {
            return Err(error_here(&content, "invalid parameter list"));
        }
        let returns = if peek_op(input, "->") {
            let (arrow, _) = eat_puncts(input, 2)?;
            if !self.starts_expression(input) || braces_are_the_body(input) {
                return Err(syn::Error::new(
                    arrow,
                    "expected the return annotation after `->`",
                ));
            }
            Some(Box::new(self.parse_expr(input)?))
        } else {
            None
        };
        let body = self.parse_braced_block(input, "the function's parameters")?;
        let start = decorator_list.first().map_or(start, |d| d.range().start);
        let name = Name {
            id,
            span: ident.span(),
            ident: ident.clone(),
            binding: Binding::Unresolved,
            rust_capture: None,
        };
        Ok(Stmt::FunctionDef {
            name,
            args,
            body,
            decorator_list,
            returns,
            is_async,
            scope: ScopeId::default(),
            range: Range::new(start, input.cursor().prev_span()),
        })
    }

    fn parse_with(&self, input: ParseStream) -> syn::Result<Stmt> {
        let is_async = peek_kw(input, "async");
        let start = if is_async {
            let start = eat_kw(input, "async")?;
            eat_kw(input, "with")?;
            start
        } else {
            eat_kw(input, "with")?
        };
        let mut items = Vec::new();
        loop {
            if !self.starts_expression(input) || peek_group(input, Delimiter::Brace) {
                return Err(syn::Error::new(
                    start,
                    "expected a context manager after `with`",
                ));
            }
            let context = self.parse_expr(input)?;
            let target = if input.peek(syn::Token![as]) {
                eat_kw(input, "as")?;
                let target = self.parse_target(input)?;
                check_assign_target(&target)?;
                Some(target)
            } else {
                None
            };
            items.push((context, target));
            if !peek_op(input, ",") {
                break;
            }
            eat_puncts(input, 1)?;
        }
        let mut body = self.parse_braced_block(input, "the `with` header")?;
        let range = Range::new(start, input.cursor().prev_span());
        // `with a, b { … }` is `with a { with b { … } }`.
        while let Some((context, target)) = items.pop() {
            let continued = !items.is_empty();
            body = vec![Stmt::With {
                context,
                target,
                body,
                continued,
                is_async,
                range,
            }];
        }
        Ok(body.pop().unwrap_or(Stmt::Pass(range)))
    }
}

/// A target of `=`: a name, attribute, subscript, or a tuple/list of them with at most one `*`.
fn check_assign_target(target: &Expr) -> syn::Result<()> {
    match target {
        Expr::Starred(s) => Err(s
            .range
            .error("starred assignment target must be in a list or tuple")),
        other => check_target(other),
    }
}

fn check_del_target(target: &Expr) -> syn::Result<()> {
    match target {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => Ok(()),
        Expr::Tuple(t) | Expr::List(t) => t.elts.iter().try_for_each(check_del_target),
        other => Err(other
            .range()
            .error(format!("cannot delete {}", describe_target(other)))),
    }
}

/// Whether the `{ … }` that comes next is the last brace group before the statement ends: then
/// it is the function's body, and the annotation before it is missing (`def f() -> { … }`).
fn braces_are_the_body(input: ParseStream) -> bool {
    use proc_macro2::{Delimiter, TokenTree};
    let cursor = input.cursor();
    let Some((_, _, mut rest)) = cursor.group(Delimiter::Brace) else {
        return false;
    };
    while let Some((tree, next)) = rest.token_tree() {
        match tree {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return false,
            TokenTree::Punct(p) if p.as_char() == ';' => return true,
            _ => rest = next,
        }
    }
    true
}
