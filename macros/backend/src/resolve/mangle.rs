//! Name resolution, before anything else: private names. In a class body, and in the
//! functions inside it, a name `__spam` (two leading underscores, not two trailing) stands for
//! `_Class__spam`, in variables, attributes and parameters alike, as CPython's compiler does.

use crate::ast::visit::{child_exprs_mut, stmt_blocks_mut, stmt_exprs_mut};
use crate::ast::*;

/// Mangles the private names of a block whose class (if any) is `class`.
pub(super) fn mangle_block(stmts: &mut [Stmt], class: Option<&str>) {
    for stmt in stmts {
        mangle_stmt(stmt, class);
    }
}

/// `name` as written in the body of the class `class`: `_Class__name` for a private name.
pub(crate) fn mangle(class: Option<&str>, name: &str) -> Option<String> {
    let class = class?.trim_start_matches('_');
    let private =
        name.starts_with("__") && !name.ends_with("__") && !name.contains('.') && !class.is_empty();
    private.then(|| format!("_{class}{name}"))
}

fn rename(class: Option<&str>, name: &mut String) {
    if let Some(mangled) = mangle(class, name) {
        *name = mangled;
    }
}

fn mangle_stmt(stmt: &mut Stmt, class: Option<&str>) {
    match stmt {
        Stmt::ClassDef {
            name,
            bases,
            keywords,
            body,
            decorator_list,
            ..
        } => {
            rename(class, &mut name.id);
            for e in decorator_list.iter_mut().chain(bases.iter_mut()) {
                mangle_expr(e, class);
            }
            for keyword in keywords {
                mangle_expr(&mut keyword.value, class);
            }
            let own = name.ident_text();
            mangle_block(body, Some(&own));
        }
        Stmt::FunctionDef {
            name,
            args,
            body,
            decorator_list,
            returns,
            ..
        } => {
            rename(class, &mut name.id);
            for e in decorator_list {
                mangle_expr(e, class);
            }
            mangle_arguments(args, class);
            if let Some(returns) = returns {
                mangle_expr(returns, class);
            }
            mangle_block(body, class);
        }
        Stmt::Global { names, .. } | Stmt::Nonlocal { names, .. } => {
            for name in names {
                rename(class, &mut name.id);
            }
        }
        Stmt::Try { handlers, .. } => {
            for handler in handlers.iter_mut() {
                if let Some(name) = &mut handler.name {
                    rename(class, &mut name.id);
                }
            }
            stmt_exprs_mut(stmt, |e| mangle_expr(e, class));
            stmt_blocks_mut(stmt, |block| mangle_block(block, class));
        }
        other => {
            stmt_exprs_mut(other, |e| mangle_expr(e, class));
            stmt_blocks_mut(other, |block| mangle_block(block, class));
        }
    }
}

/// A parameter list: the defaults and annotations (expressions of the scope around), then the
/// parameters' own names.
fn mangle_arguments(args: &mut Arguments, class: Option<&str>) {
    for default in args
        .defaults
        .iter_mut()
        .chain(args.kw_defaults.iter_mut().flatten())
    {
        mangle_expr(default, class);
    }
    for arg in args.params_mut() {
        rename(class, &mut arg.arg);
        if let Some(annotation) = &mut arg.annotation {
            mangle_expr(annotation, class);
        }
    }
}

fn mangle_expr(expr: &mut Expr, class: Option<&str>) {
    if class.is_none() {
        return;
    }
    crate::deep(|| match expr {
        Expr::Name(name) => rename(class, &mut name.id),
        Expr::Attribute(a) => {
            rename(class, &mut a.attr);
            mangle_expr(&mut a.value, class);
        }
        Expr::NamedExpr(e) => {
            rename(class, &mut e.target.id);
            mangle_expr(&mut e.value, class);
        }
        Expr::Lambda(l) => {
            mangle_arguments(&mut l.args, class);
            mangle_expr(&mut l.body, class);
        }
        other => child_exprs_mut(other, |child| mangle_expr(child, class)),
    })
}
