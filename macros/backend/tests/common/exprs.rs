//! A generator of random expressions from Python's grammar, each written twice: as Python (for
//! CPython) and spelled for Rust's lexer (for pycall).

use super::Rng;

/// An expression in both spellings, with its precedence level (Python's table, from `lambda`
/// at 0 to atoms at 16).
struct Text {
    py: String,
    rs: String,
    prec: u8,
}

impl Text {
    fn same(s: impl Into<String>, prec: u8) -> Self {
        let s = s.into();
        Text {
            py: s.clone(),
            rs: s,
            prec,
        }
    }
}

const LAMBDA: u8 = 0;
const TERNARY: u8 = 1;
const OR: u8 = 2;
const AND: u8 = 3;
const NOT: u8 = 4;
const COMPARE: u8 = 5;
const BITOR: u8 = 6;
const UNARY: u8 = 12;
const POWER: u8 = 13;
const PRIMARY: u8 = 15;
const ATOM: u8 = 16;

/// Binary operators by level (6 `|` to 11 `*`), with their Rust spelling.
const BINARY: &[(u8, &str, &str)] = &[
    (6, "|", "|"),
    (7, "^", "^"),
    (8, "&", "&"),
    (9, "<<", "<<"),
    (9, ">>", ">>"),
    (10, "+", "+"),
    (10, "-", "-"),
    (11, "*", "*"),
    (11, "/", "/"),
    (11, "//", "/ /"),
    (11, "%", "%"),
    (11, "@", "@"),
];

const COMPARISONS: &[&str] = &[
    "<", ">", "==", ">=", "<=", "!=", "in", "not in", "is", "is not",
];

const NAMES: &[&str] = &[
    "a", "b", "x", "y", "z", "foo", "bar_2", "_private", "self", "match", "type", "len", "print",
    "Ω",
];

const STRINGS: &[&str] = &[
    "\"\"",
    "\"abc\"",
    "\"it's\"",
    "\"a\\nb\"",
    "\"tab\\there\"",
    "\"q\\\"uote\"",
    "\"back\\\\slash\"",
    "r\"raw\\d+\"",
    "\"\\x41é\"",
    "\"naïve ✓\"",
];

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "42",
    "1_000",
    "0x1F",
    "0o17",
    "0b101",
    "123456789012345678901234567890",
    "1.5",
    "0.25",
    "1e3",
    "2.5e-3",
    "1j",
    "2.5j",
];

struct Gen {
    rng: Rng,
    /// Comprehension and lambda variables, so names repeat realistically.
    depth: u32,
}

impl Gen {
    /// An expression whose precedence is at least `min` (parenthesized when it is not).
    fn expr(&mut self, min: u8) -> Text {
        self.depth += 1;
        let leaf = self.depth > 5 || self.rng.chance(20 + 12 * self.depth);
        let mut t = if leaf {
            self.atom_leaf()
        } else {
            self.compound()
        };
        if t.prec < min || self.rng.chance(3) {
            t = Text {
                py: format!("({})", t.py),
                rs: format!("({})", t.rs),
                prec: ATOM,
            };
        }
        self.depth -= 1;
        t
    }

    fn atom_leaf(&mut self) -> Text {
        match self.rng.below(10) {
            0..=3 => Text::same(*self.rng.pick(NAMES), ATOM),
            4..=5 => Text::same(*self.rng.pick(NUMBERS), ATOM),
            6 => {
                let s = *self.rng.pick(STRINGS);
                if self.rng.chance(20) {
                    // Implicit concatenation.
                    let t = *self.rng.pick(STRINGS);
                    Text::same(format!("{s} {t}"), ATOM)
                } else {
                    Text::same(s, ATOM)
                }
            }
            7 => Text::same(
                *self
                    .rng
                    .pick(&["b\"bytes\"", "b\"\\x00\\xff\"", "br\"\\d\""]),
                ATOM,
            ),
            8 => Text::same(*self.rng.pick(&["True", "False", "None", "..."]), ATOM),
            _ => Text::same(".5", ATOM),
        }
    }

    fn list(&mut self, n: usize, min: u8, star: bool) -> (Vec<String>, Vec<String>) {
        let mut py = Vec::new();
        let mut rs = Vec::new();
        for _ in 0..n {
            if star && self.rng.chance(15) {
                let e = self.expr(BITOR);
                py.push(format!("*{}", e.py));
                rs.push(format!("*{}", e.rs));
            } else {
                let e = self.expr(min);
                py.push(e.py);
                rs.push(e.rs);
            }
        }
        (py, rs)
    }

    fn compound(&mut self) -> Text {
        match self.rng.below(22) {
            0..=4 => {
                let &(level, py_op, rs_op) = self.rng.pick(BINARY);
                let n = 2 + self.rng.below(3);
                let first = self.expr(level);
                let (mut py, mut rs) = (first.py, first.rs);
                for _ in 1..n {
                    let right = self.expr(level + 1);
                    py = format!("{py} {py_op} {}", right.py);
                    rs = format!("{rs} {rs_op} {}", right.rs);
                }
                Text {
                    py,
                    rs,
                    prec: level,
                }
            }
            5 => {
                let op = *self.rng.pick(&["-", "+", "~"]);
                let e = self.expr(UNARY);
                Text {
                    py: format!("{op}{}", e.py),
                    rs: format!("{op}{}", e.rs),
                    prec: UNARY,
                }
            }
            6 => {
                let base = self.expr(PRIMARY);
                let exp = self.expr(UNARY);
                Text {
                    py: format!("{} ** {}", base.py, exp.py),
                    rs: format!("{} ** {}", base.rs, exp.rs),
                    prec: POWER,
                }
            }
            7 => {
                let n = 1 + self.rng.below(3);
                let first = self.expr(BITOR);
                let (mut py, mut rs) = (first.py, first.rs);
                for _ in 0..n {
                    let op = *self.rng.pick(COMPARISONS);
                    let e = self.expr(BITOR);
                    py = format!("{py} {op} {}", e.py);
                    rs = format!("{rs} {op} {}", e.rs);
                }
                Text {
                    py,
                    rs,
                    prec: COMPARE,
                }
            }
            8 => {
                let e = self.expr(NOT);
                Text {
                    py: format!("not {}", e.py),
                    rs: format!("not {}", e.rs),
                    prec: NOT,
                }
            }
            9 => {
                let (op, level) = *self.rng.pick(&[("and", AND), ("or", OR)]);
                let n = 2 + self.rng.below(2);
                let parts: Vec<Text> = (0..n).map(|_| self.expr(level + 1)).collect();
                Text {
                    py: parts
                        .iter()
                        .map(|t| t.py.as_str())
                        .collect::<Vec<_>>()
                        .join(&format!(" {op} ")),
                    rs: parts
                        .iter()
                        .map(|t| t.rs.as_str())
                        .collect::<Vec<_>>()
                        .join(&format!(" {op} ")),
                    prec: level,
                }
            }
            10 => {
                let body = self.expr(OR);
                let test = self.expr(OR);
                let orelse = self.expr(LAMBDA);
                Text {
                    py: format!("{} if {} else {}", body.py, test.py, orelse.py),
                    rs: format!("{} if {} else {}", body.rs, test.rs, orelse.rs),
                    prec: TERNARY,
                }
            }
            11 => self.lambda(),
            12 => {
                let name = *self.rng.pick(&["x", "y", "n"]);
                let v = self.expr(TERNARY);
                Text {
                    py: format!("({name} := {})", v.py),
                    rs: format!("({name} := {})", v.rs),
                    prec: ATOM,
                }
            }
            13 => {
                let mut base = self.expr(PRIMARY);
                // `1.real` is refused by CPython (and accepted by pycall, a documented
                // difference): a number takes parentheses before `.`.
                if base
                    .py
                    .starts_with(|c: char| c.is_ascii_digit() || c == '.')
                {
                    base = Text {
                        py: format!("({})", base.py),
                        rs: format!("({})", base.rs),
                        prec: ATOM,
                    };
                }
                let attr = *self.rng.pick(&["real", "attr", "x", "__class__", "match"]);
                Text {
                    py: format!("{}.{attr}", base.py),
                    rs: format!("{}.{attr}", base.rs),
                    prec: PRIMARY,
                }
            }
            14 => self.subscript(),
            15 => self.call(),
            16 => {
                let n = self.rng.below(4);
                let (py, rs) = self.list(n, TERNARY, true);
                let (open, close) = *self.rng.pick(&[("[", "]"), ("(", ")"), ("{", "}")]);
                if open == "{" && n == 0 {
                    return Text::same("{}", ATOM);
                }
                let trailing = if open == "(" && n == 1 { "," } else { "" };
                Text {
                    py: format!("{open}{}{trailing}{close}", py.join(", ")),
                    rs: format!("{open}{}{trailing}{close}", rs.join(", ")),
                    prec: ATOM,
                }
            }
            17 => {
                let n = self.rng.below(3);
                let mut py = Vec::new();
                let mut rs = Vec::new();
                for _ in 0..n {
                    if self.rng.chance(15) {
                        let e = self.expr(BITOR);
                        py.push(format!("**{}", e.py));
                        rs.push(format!("**{}", e.rs));
                    } else {
                        let (k, v) = (self.expr(TERNARY), self.expr(LAMBDA));
                        py.push(format!("{}: {}", k.py, v.py));
                        rs.push(format!("{}: {}", k.rs, v.rs));
                    }
                }
                Text {
                    py: format!("{{{}}}", py.join(", ")),
                    rs: format!("{{{}}}", rs.join(", ")),
                    prec: ATOM,
                }
            }
            18..=19 => self.comprehension(),
            20 => {
                // A bare tuple where one is allowed: only as the whole of a parenthesized atom.
                let n = 2 + self.rng.below(2);
                let (py, rs) = self.list(n, TERNARY, true);
                Text {
                    py: format!("({})", py.join(", ")),
                    rs: format!("({})", rs.join(", ")),
                    prec: ATOM,
                }
            }
            _ => {
                let e = self.expr(UNARY);
                let op = *self.rng.pick(&["-", "not "]);
                let (prec, min) = if op == "-" {
                    (UNARY, UNARY)
                } else {
                    (NOT, NOT)
                };
                let inner = if e.prec < min {
                    Text {
                        py: format!("({})", e.py),
                        rs: format!("({})", e.rs),
                        prec: ATOM,
                    }
                } else {
                    e
                };
                Text {
                    py: format!("{op}{op}{}", inner.py),
                    rs: format!("{op}{op}{}", inner.rs),
                    prec,
                }
            }
        }
    }

    fn lambda(&mut self) -> Text {
        let params = *self.rng.pick(&[
            "",
            "x",
            "x, y",
            "x, y=1",
            "*args",
            "**kw",
            "x, *args, k=2, **kw",
            "a, /, b",
            "a, /, b, *, c",
            "*, k",
        ]);
        let body = self.expr(LAMBDA);
        let sep = if params.is_empty() { "" } else { " " };
        Text {
            py: format!("lambda{sep}{params}: {}", body.py),
            rs: format!("lambda{sep}{params}: {}", body.rs),
            prec: LAMBDA,
        }
    }

    fn slice_part(&mut self) -> Text {
        self.expr(TERNARY)
    }

    fn subscript(&mut self) -> Text {
        let base = self.expr(PRIMARY);
        let n = 1 + usize::from(self.rng.chance(20));
        let mut py = Vec::new();
        let mut rs = Vec::new();
        for _ in 0..n {
            if self.rng.chance(40) {
                let part = |g: &mut Gen| {
                    if g.rng.chance(50) {
                        let t = g.slice_part();
                        (t.py, t.rs)
                    } else {
                        (String::new(), String::new())
                    }
                };
                let (lp, lr) = part(self);
                let (up, ur) = part(self);
                if self.rng.chance(40) {
                    let (sp, sr) = part(self);
                    py.push(format!("{lp}:{up}:{sp}"));
                    // `::` is one Rust token; pycall reads it as two colons.
                    rs.push(format!("{lr}:{ur}:{sr}"));
                } else {
                    py.push(format!("{lp}:{up}"));
                    rs.push(format!("{lr}:{ur}"));
                }
            } else {
                let t = self.expr(TERNARY);
                py.push(t.py);
                rs.push(t.rs);
            }
        }
        Text {
            py: format!("{}[{}]", base.py, py.join(", ")),
            rs: format!("{}[{}]", base.rs, rs.join(", ")),
            prec: PRIMARY,
        }
    }

    fn call(&mut self) -> Text {
        let func = self.expr(PRIMARY);
        if self.rng.chance(10) {
            let g = self.genexp_body();
            return Text {
                py: format!("{}({})", func.py, g.py),
                rs: format!("{}({})", func.rs, g.rs),
                prec: PRIMARY,
            };
        }
        let n = self.rng.below(3);
        let (mut py, mut rs) = self.list(n, LAMBDA, true);
        let mut keywords = vec!["key", "reverse", "sep", "k"];
        for _ in 0..self.rng.below(3) {
            if self.rng.chance(20) {
                let e = self.expr(BITOR);
                py.push(format!("**{}", e.py));
                rs.push(format!("**{}", e.rs));
            } else {
                // A repeated keyword is refused by pycall's parser and by CPython's compiler.
                let k = keywords.remove(self.rng.below(keywords.len()));
                let e = self.expr(LAMBDA);
                py.push(format!("{k}={}", e.py));
                rs.push(format!("{k}={}", e.rs));
            }
        }
        Text {
            py: format!("{}({})", func.py, py.join(", ")),
            rs: format!("{}({})", func.rs, rs.join(", ")),
            prec: PRIMARY,
        }
    }

    /// `elt for target in iter [if cond] [for ...]`, without brackets.
    fn genexp_body(&mut self) -> Text {
        let elt = self.expr(TERNARY);
        let (mut py, mut rs) = (elt.py, elt.rs);
        for _ in 0..1 + usize::from(self.rng.chance(25)) {
            let target = *self
                .rng
                .pick(&["i", "k, v", "(a, b)", "[p, q]", "a, *rest"]);
            let iter = self.expr(OR);
            py = format!("{py} for {target} in {}", iter.py);
            rs = format!("{rs} for {target} in {}", iter.rs);
            for _ in 0..self.rng.below(2) {
                let cond = self.expr(OR);
                py = format!("{py} if {}", cond.py);
                rs = format!("{rs} if {}", cond.rs);
            }
        }
        Text { py, rs, prec: ATOM }
    }

    fn comprehension(&mut self) -> Text {
        match self.rng.below(4) {
            0 | 1 => {
                let (open, close) = *self.rng.pick(&[("[", "]"), ("{", "}"), ("(", ")")]);
                let g = self.genexp_body();
                Text {
                    py: format!("{open}{}{close}", g.py),
                    rs: format!("{open}{}{close}", g.rs),
                    prec: ATOM,
                }
            }
            _ => {
                let key = self.expr(TERNARY);
                let body = self.genexp_body();
                Text {
                    py: format!("{{{}: {}}}", key.py, body.py),
                    rs: format!("{{{}: {}}}", key.rs, body.rs),
                    prec: ATOM,
                }
            }
        }
    }
}

pub fn generate(seed: u64, count: usize) -> Vec<(String, String)> {
    let mut g = Gen {
        rng: Rng::new(seed),
        depth: 0,
    };
    (0..count)
        .map(|_| {
            let t = g.expr(LAMBDA);
            (t.py, t.rs)
        })
        .collect()
}
