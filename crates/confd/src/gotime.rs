//! confd's `datetime` is Go's `time.Now`: a `time.Time` that prints as
//! `2015-01-23 13:34:56.093250283 -0800 PST m=+0.000123456` and formats
//! with Go layouts (`{{datetime.Format "Jan 2, 2006 at 3:04pm (MST)"}}`).

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use flotta_gotemplate::{Function, Param, Struct, Value};
use jiff::Zoned;

/// The process start, for the monotonic reading Go prints (`m=+…`).
fn start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// `time.Now()` as a template value.
pub(crate) fn now() -> Value {
    let mono = start().elapsed().as_secs_f64();
    time_value(Zoned::now(), Some(mono))
}

fn time_value(t: Zoned, mono: Option<f64>) -> Value {
    let t = Arc::new(t);
    let mut methods = std::collections::BTreeMap::new();
    let m = |f: fn(&Zoned) -> Value, t: &Arc<Zoned>| {
        let t = Arc::clone(t);
        Function::new([], move |_| Ok(f(&t)))
    };
    {
        let t2 = Arc::clone(&t);
        methods.insert(
            "String".into(),
            Function::new([], move |_| {
                let mut s = format(&t2, "2006-01-02 15:04:05.999999999 -0700 MST");
                if let Some(m) = mono {
                    s.push_str(&format!(" m=+{m:.9}"));
                }
                Ok(Value::from(s))
            }),
        );
    }
    {
        let t2 = Arc::clone(&t);
        methods.insert(
            "Format".into(),
            Function::new([Param::String], move |a| {
                Ok(Value::from(format(&t2, a[0].as_str().unwrap_or_default())))
            }),
        );
    }
    methods.insert(
        "Unix".into(),
        m(|t| Value::Int(t.timestamp().as_second()), &t),
    );
    methods.insert(
        "UnixNano".into(),
        m(|t| Value::Int(t.timestamp().as_nanosecond() as i64), &t),
    );
    methods.insert("Year".into(), m(|t| Value::Int(i64::from(t.year())), &t));
    methods.insert("Day".into(), m(|t| Value::Int(i64::from(t.day())), &t));
    methods.insert("Hour".into(), m(|t| Value::Int(i64::from(t.hour())), &t));
    methods.insert(
        "Minute".into(),
        m(|t| Value::Int(i64::from(t.minute())), &t),
    );
    methods.insert(
        "Second".into(),
        m(|t| Value::Int(i64::from(t.second())), &t),
    );
    methods.insert(
        "YearDay".into(),
        m(|t| Value::Int(i64::from(t.day_of_year())), &t),
    );
    methods.insert(
        "UTC".into(),
        m(
            |t| time_value(t.with_time_zone(jiff::tz::TimeZone::UTC), None),
            &t,
        ),
    );
    methods.insert(
        "Local".into(),
        m(
            |t| time_value(t.with_time_zone(jiff::tz::TimeZone::system()), None),
            &t,
        ),
    );
    Value::Struct(Arc::new(Struct {
        type_name: "time.Time".into(),
        fields: Vec::new(),
        methods,
    }))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Go's `Time.Format`: a layout written as the reference time
/// `Mon Jan 2 15:04:05 MST 2006`.
pub(crate) fn format(t: &Zoned, layout: &str) -> String {
    let mut out = String::new();
    let mut rest = layout;
    let month = usize::from(t.month().unsigned_abs())
        .saturating_sub(1)
        .min(11);
    let weekday = usize::from(t.weekday().to_sunday_zero_offset().unsigned_abs()).min(6);
    let hour = t.hour();
    let offset = t.offset().seconds();
    let nanos = t.subsec_nanosecond().max(0);
    while !rest.is_empty() {
        // Longest tokens first, as Go's nextStdChunk does.
        let tokens: &[&str] = &[
            "January",
            "Monday",
            "2006",
            "-07:00:00",
            "-070000",
            "-07:00",
            "-0700",
            "Z07:00:00",
            "Z070000",
            "Z07:00",
            "Z0700",
            "Jan",
            "Mon",
            "MST",
            "002",
            "_2",
            "01",
            "02",
            "03",
            "04",
            "05",
            "06",
            "15",
            "-07",
            "Z07",
            "PM",
            "pm",
            "1",
            "2",
            "3",
            "4",
            "5",
        ];
        if let Some(frac) = fraction_token(rest) {
            let digits = frac.len() - 1;
            let all = format!("{nanos:09}");
            let mut d = all[..digits.min(9)].to_owned();
            if frac.as_bytes()[1] == b'9' {
                while d.ends_with('0') {
                    d.pop();
                }
                if !d.is_empty() {
                    out.push(frac.as_bytes()[0] as char);
                    out.push_str(&d);
                }
            } else {
                out.push(frac.as_bytes()[0] as char);
                out.push_str(&d);
            }
            rest = &rest[frac.len()..];
            continue;
        }
        let Some(tok) = tokens.iter().find(|tok| rest.starts_with(**tok)) else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        let zone = |colon: bool, secs: bool, z: bool| -> String {
            if z && offset == 0 {
                return "Z".into();
            }
            let sign = if offset < 0 { '-' } else { '+' };
            let a = offset.unsigned_abs();
            let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
            let sep = if colon { ":" } else { "" };
            let mut r = format!("{sign}{h:02}{sep}{m:02}");
            if secs {
                r.push_str(&format!("{sep}{s:02}"));
            }
            r
        };
        let text = match *tok {
            "January" => MONTHS[month].to_owned(),
            "Jan" => MONTHS[month][..3].to_owned(),
            "Monday" => DAYS[weekday].to_owned(),
            "Mon" => DAYS[weekday][..3].to_owned(),
            "2006" => format!("{:04}", t.year()),
            "06" => format!("{:02}", t.year().rem_euclid(100)),
            "01" => format!("{:02}", month + 1),
            "1" => format!("{}", month + 1),
            "02" => format!("{:02}", t.day()),
            "2" => format!("{}", t.day()),
            "_2" => format!("{:>2}", t.day()),
            "002" => format!("{:03}", t.day_of_year()),
            "15" => format!("{hour:02}"),
            "03" => format!("{:02}", twelve(hour)),
            "3" => format!("{}", twelve(hour)),
            "04" => format!("{:02}", t.minute()),
            "4" => format!("{}", t.minute()),
            "05" => format!("{:02}", t.second()),
            "5" => format!("{}", t.second()),
            "PM" => (if hour >= 12 { "PM" } else { "AM" }).to_owned(),
            "pm" => (if hour >= 12 { "pm" } else { "am" }).to_owned(),
            "MST" => abbreviation(t),
            "-0700" => zone(false, false, false),
            "-07:00" => zone(true, false, false),
            "-07" => zone(false, false, false)[..3].to_owned(),
            "-070000" => zone(false, true, false),
            "-07:00:00" => zone(true, true, false),
            "Z0700" => zone(false, false, true),
            "Z07:00" => zone(true, false, true),
            "Z07" => {
                let z = zone(false, false, true);
                z.get(..3).unwrap_or(&z).to_owned()
            }
            "Z070000" => zone(false, true, true),
            "Z07:00:00" => zone(true, true, true),
            other => other.to_owned(),
        };
        out.push_str(&text);
        rest = &rest[tok.len()..];
    }
    out
}

fn twelve(hour: i8) -> i8 {
    match hour % 12 {
        0 => 12,
        h => h,
    }
}

/// `.000`, `,999999999` and the like after seconds.
fn fraction_token(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    if b.len() < 2 || (b[0] != b'.' && b[0] != b',') || (b[1] != b'0' && b[1] != b'9') {
        return None;
    }
    let d = b[1];
    let n = 1 + b[1..].iter().take_while(|&&c| c == d).count();
    // Go requires the run not be followed by another digit.
    if b.get(n).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some(&s[..n])
}

/// The zone's abbreviation (`UTC`, `PST`); Go prints the numeric offset
/// when a zone has none.
fn abbreviation(t: &Zoned) -> String {
    let a = t.strftime("%Z").to_string();
    if a.is_empty() {
        let o = t.offset().seconds();
        let sign = if o < 0 { '-' } else { '+' };
        let a = o.unsigned_abs();
        return format!("{sign}{:02}{:02}", a / 3600, a / 60 % 60);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_layouts() {
        let t: Zoned = "2015-01-23T13:34:56.093250283-08:00[America/Los_Angeles]"
            .parse()
            .unwrap();
        assert_eq!(
            format(&t, "2006-01-02 15:04:05.999999999 -0700 MST"),
            "2015-01-23 13:34:56.093250283 -0800 PST"
        );
        assert_eq!(
            format(&t, "Jan 2, 2006 at 3:04pm (MST)"),
            "Jan 23, 2015 at 1:34pm (PST)"
        );
        assert_eq!(
            format(&t, "Monday 02/01/06 15h04 .000 Z07:00"),
            "Friday 23/01/15 13h34 .093 -08:00"
        );
        let utc = t.with_time_zone(jiff::tz::TimeZone::UTC);
        assert_eq!(
            format(&utc, "2006-01-02T15:04:05Z07:00"),
            "2015-01-23T21:34:56Z"
        );
    }
}
