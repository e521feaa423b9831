//! Number and date formatting for people: thousands separators, $ with B/M, signed changes.
//! Presentation only; values arrive in the model's units.

use std::time::{SystemTime, UNIX_EPOCH};

/// `12,345` style grouping for a rounded number.
pub fn grouped(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// A dollar amount with B/M/k, e.g. `$12.3 B`.
pub fn usd(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    if v >= 1e9 {
        format!("{sign}${:.2} B", v / 1e9)
    } else if v >= 1e6 {
        format!("{sign}${:.1} M", v / 1e6)
    } else if v >= 1e3 {
        format!("{sign}${:.1} k", v / 1e3)
    } else {
        format!("{sign}${v:.0}")
    }
}

/// A signed dollar change, e.g. `+$1.20 B`.
pub fn usd_change(delta: f64) -> String {
    if delta >= 0.0 {
        format!("+{}", usd(delta))
    } else {
        usd(delta)
    }
}

/// A value for hover text and axis labels: compact, with thousands separators.
pub fn value(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        grouped(v, 0)
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The smallest of 1, 2 or 5 times a power of ten that is at least `value`.
pub fn nice_step(value: f64) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|f| f * power)
        .find(|&s| s >= value)
        .unwrap_or(10.0 * power)
}

/// Axis tick text: short (k / M suffixes for big numbers).
pub fn tick(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 || v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// `+3` / `-2` / `±0` style change of a count.
pub fn signed(delta: f64, decimals: usize) -> String {
    if delta.abs() < 0.5 * 10f64.powi(-(decimals as i32)) {
        "±0".to_string()
    } else if delta > 0.0 {
        format!("+{}", grouped(delta, decimals))
    } else {
        grouped(delta, decimals)
    }
}

/// `YYYY-MM-DD` (UTC) of a time, without a date library.
pub fn date(time: SystemTime) -> String {
    let Ok(since) = time.duration_since(UNIX_EPOCH) else {
        return String::new();
    };
    let days = (since.as_secs() / 86_400) as i64;
    // Civil-from-days (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(1234567.0, 0), "1,234,567");
        assert_eq!(grouped(-2115.4, 1), "-2,115.4");
        assert_eq!(grouped(12.0, 0), "12");
        assert_eq!(usd(12_300_000_000.0), "$12.30 B");
        assert_eq!(usd_change(-4.5e6), "-$4.5 M");
        assert_eq!(signed(0.0, 0), "±0");
        assert_eq!(signed(3.0, 0), "+3");
    }

    #[test]
    fn formats_dates() {
        assert_eq!(date(UNIX_EPOCH), "1970-01-01");
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_740_787_200); // 2025-03-01
        assert_eq!(date(t), "2025-03-01");
    }
}
