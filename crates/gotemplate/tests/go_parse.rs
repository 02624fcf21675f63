//! Go's own parser cases: `parseTests` and `errorTests` of Go 1.19's
//! `src/text/template/parse/parse_test.go` (`tests/vectors/go_parse_cases.rs`).
//! A tree must print as Go prints it; an error must be Go's text, except
//! that this crate adds the column after the line (`NAME:LINE:COL:`), so
//! the comparison drops it.

use flotta_gotemplate::{Function, Param, Template, Value};

pub struct Case {
    pub name: &'static str,
    pub input: &'static str,
    pub ok: bool,
    pub result: &'static str,
    pub err: &'static str,
}

mod vectors {
    use super::Case;
    include!("vectors/go_parse_cases.rs");
}

fn template(name: &str) -> Template {
    let mut t = Template::new(name);
    let any = || Function::variadic([], Param::Any, |_| Ok(Value::Missing));
    t.func("printf", any()).func("contains", any());
    t
}

/// Go's wording of a parse error: the column taken out.
fn go_text(e: &flotta_gotemplate::Error) -> String {
    match (e.template(), e.line()) {
        (Some(t), Some(l)) => format!("template: {t}:{l}: {}", e.message()),
        _ => e.to_string(),
    }
}

#[test]
fn go_parse_tests() {
    let mut failures = Vec::new();
    let mut skipped = 0;
    for c in vectors::PARSE {
        // Complex constants are not supported (see the crate docs).
        if c.name == "constants" {
            skipped += 1;
            continue;
        }
        let mut t = template(c.name);
        match (t.parse(c.input).map(|_| ()), c.ok) {
            (Ok(()), true) => {
                let tree = t.tree_string(c.name).unwrap_or_default();
                if tree != c.result {
                    failures.push(format!(
                        "{}: tree\n   got {tree}\n  want {}",
                        c.name, c.result
                    ));
                }
            }
            (Err(e), false) => {
                if go_text(&e) != c.err {
                    failures.push(format!(
                        "{}: error\n   got {}\n  want {}",
                        c.name,
                        go_text(&e),
                        c.err
                    ));
                }
            }
            (got, _) => failures.push(format!(
                "{}: {:?}: got {got:?}, want ok={} {}",
                c.name, c.input, c.ok, c.err
            )),
        }
    }
    println!(
        "Go parse_test.go parseTests: {} cases, {skipped} not applicable (complex)",
        vectors::PARSE.len()
    );
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn go_error_tests() {
    let mut failures = Vec::new();
    for c in vectors::ERRORS {
        let mut t = Template::new(c.name);
        match t.parse(c.input) {
            Ok(_) => failures.push(format!("{}: no error, want {}", c.name, c.err)),
            Err(e) => {
                let text = go_text(&e);
                if text != c.err || !text.contains(c.result) {
                    failures.push(format!(
                        "{}: error\n   got {text}\n  want {}",
                        c.name, c.err
                    ));
                }
                assert!(
                    e.line().is_some() && e.column().is_some(),
                    "{}: located",
                    c.name
                );
            }
        }
    }
    println!(
        "Go parse_test.go errorTests: {} cases",
        vectors::ERRORS.len()
    );
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

mod lex_vectors {
    include!("vectors/go_lex_cases.rs");
}

/// Go's lexer cases: every token's kind and text (as `TestLex` and
/// `TestDelims` compare them), and for `lexPosTests` its offset and line.
#[test]
fn go_lex_tests() {
    let mut failures = Vec::new();
    for (set, name, input, left, right, want) in lex_vectors::LEX {
        let got = flotta_gotemplate::lex_items(input, left, right);
        let positions = *set == "lexPosTests";
        let same = got.len() == want.len()
            && got
                .iter()
                .zip(want.iter())
                .all(|(g, w)| g.0 == w.0 && g.1 == w.1 && (!positions || (g.2, g.3) == (w.2, w.3)));
        if !same {
            failures.push(format!(
                "{set} {name}: {input:?}\n   got {got:?}\n  want {want:?}"
            ));
        }
    }
    println!("Go lex_test.go: {} cases", lex_vectors::LEX.len());
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
