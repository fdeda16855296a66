//! The flow map: the county-level districts of the market at their
//! coordinates, sized by openings and coloured by openings per seeker, with
//! the strongest cross-prefecture placement flows as lines.

use std::collections::BTreeMap;
use std::path::Path;

use jobmatch::region::{Level, gazetteer};
use jobmatch::stats::MarketStats;
use jobmatch::{Error, Result};

/// District colours, from the fewest openings per seeker (red: demand is
/// short of supply) to the most (green), one per fifth of the districts.
const COLOURS: [(u8, u8, u8); 5] = [
    (215, 48, 39),
    (252, 141, 89),
    (254, 224, 139),
    (145, 207, 96),
    (26, 152, 80),
];

/// Flows drawn: the strongest across the provincial border, and the
/// strongest within a province.
const CROSS_FLOWS: usize = 15;
const WITHIN_FLOWS: usize = 20;

/// The openings-per-seeker values that split the districts into fifths.
fn fifths(stats: &MarketStats) -> [f64; 4] {
    let mut r: Vec<f64> = stats
        .by_district
        .values()
        .filter_map(|c| c.openings_per_seeker)
        .collect();
    r.sort_by(f64::total_cmp);
    let at = |q: f64| {
        r.get(((r.len().saturating_sub(1)) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    [at(0.2), at(0.4), at(0.6), at(0.8)]
}

fn colour(ratio: Option<f64>, breaks: &[f64; 4]) -> (u8, u8, u8) {
    let r = ratio.unwrap_or(f64::INFINITY);
    let i = breaks.iter().filter(|&&b| r > b).count();
    COLOURS.get(i).copied().unwrap_or(COLOURS[4])
}

/// The county-level districts of the gazetteer.
pub fn counties() -> Vec<&'static jobmatch::region::Region> {
    gazetteer()
        .all()
        .iter()
        .filter(|r| r.level == Level::County)
        .collect()
}

/// The extent of the districts' centroids: (west, east, south, north).
pub fn extent(counties: &[&jobmatch::region::Region]) -> (f64, f64, f64, f64) {
    let (mut lon0, mut lon1, mut lat0, mut lat1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for r in counties {
        let c = r.centroid;
        (lon0, lon1, lat0, lat1) = (
            lon0.min(c.lon()),
            lon1.max(c.lon()),
            lat0.min(c.lat()),
            lat1.max(c.lat()),
        );
    }
    (lon0, lon1, lat0, lat1)
}

/// Draws the map to a PNG.
///
/// # Errors
/// No usable font, or the file cannot be written.
pub fn draw(
    path: &Path,
    stats: &MarketStats,
    prefecture_flows: &BTreeMap<String, u64>,
    title: &str,
) -> Result<()> {
    use plotters::prelude::*;
    let draw_err = |e: &dyn std::fmt::Display| Error::Io {
        path: Some(path.to_owned()),
        source: std::io::Error::other(e.to_string()),
    };
    crate::bench::register_font()?;
    let gaz = gazetteer();
    let counties = counties();
    let (lon0, lon1, lat0, lat1) = extent(&counties);
    let root = BitMapBackend::new(path, (1200, 900)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(35)
        .y_label_area_size(45)
        .build_cartesian_2d(lon0 - 0.5..lon1 + 0.5, lat0 - 0.3..lat1 + 0.3)
        .map_err(|e| draw_err(&e))?;
    chart
        .configure_mesh()
        .x_desc("longitude (°E)")
        .y_desc("latitude (°N)")
        .light_line_style(WHITE)
        .draw()
        .map_err(|e| draw_err(&e))?;
    // Districts: area proportional to openings.
    let breaks = fifths(stats);
    let max_openings = stats
        .by_district
        .values()
        .map(|c| c.openings)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    for r in &counties {
        let Some(c) = stats.by_district.get(&r.code.to_string()) else {
            continue;
        };
        let radius = 2.0 + 22.0 * (c.openings as f64 / max_openings).sqrt();
        let (cr, cg, cb) = colour(c.openings_per_seeker, &breaks);
        let style = RGBColor(cr, cg, cb).mix(0.75).filled();
        chart
            .draw_series(std::iter::once(Circle::new(
                (r.centroid.lon(), r.centroid.lat()),
                radius as i32,
                style,
            )))
            .map_err(|e| draw_err(&e))?;
    }
    // Flows between prefectures, the strongest of each kind; width by count.
    let is_cross = |key: &str| key.split_once('→').is_some_and(|(a, b)| a.get(..2) != b.get(..2));
    let mut all: Vec<(&String, &u64)> = prefecture_flows.iter().collect();
    all.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut flows: Vec<(&String, &u64)> = all
        .iter()
        .filter(|f| !is_cross(f.0))
        .take(WITHIN_FLOWS)
        .copied()
        .collect();
    // Cross-border flows last, so that they are drawn on top.
    flows.extend(all.iter().filter(|f| is_cross(f.0)).take(CROSS_FLOWS).copied());
    let strongest = all.first().map_or(1, |f| *f.1).max(1) as f64;
    // A prefecture's place: the mean of its districts' centroids (Chongqing
    // has no prefecture-level unit of its own).
    let centre = |prefix: &str| -> Option<(f64, f64)> {
        let prefix: jobmatch::RegionPrefix = prefix.parse().ok()?;
        let (mut lon, mut lat, mut n) = (0.0, 0.0, 0.0);
        for r in gaz.counties_in(prefix) {
            lon += r.centroid.lon();
            lat += r.centroid.lat();
            n += 1.0;
        }
        (n > 0.0).then(|| (lon / n, lat / n))
    };
    for &(key, &n) in &flows {
        let Some((from, to)) = key.split_once('→') else {
            continue;
        };
        let (Some(a), Some(b)) = (centre(from), centre(to)) else {
            continue;
        };
        let cross = from.get(..2) != to.get(..2);
        let width = if cross { 2 } else { 1 } + (6.0 * (n as f64 / strongest).sqrt()).round() as u32;
        let colour = if cross {
            RGBColor(33, 102, 172)
        } else {
            RGBColor(90, 90, 90)
        };
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![a, b],
                colour.mix(0.7).stroke_width(width),
            )))
            .map_err(|e| draw_err(&e))?;
        // The destination end marked.
        chart
            .draw_series(std::iter::once(Circle::new(b, 3, colour.filled())))
            .map_err(|e| draw_err(&e))?;
    }
    // Legend, drawn by hand in the upper left.
    let x = lon0 - 0.3;
    let mut y = lat1 + 0.1;
    let step = (lat1 - lat0) / 28.0;
    let labels = [
        format!("under {:.1} openings per seeker", breaks[0]),
        format!("{:.1} to {:.1}", breaks[0], breaks[1]),
        format!("{:.1} to {:.1}", breaks[1], breaks[2]),
        format!("{:.1} to {:.1}", breaks[2], breaks[3]),
        format!("over {:.1} (or no seeker)", breaks[3]),
    ];
    for ((r, g, b), label) in COLOURS.iter().zip(labels) {
        chart
            .draw_series(std::iter::once(Circle::new(
                (x, y),
                7,
                RGBColor(*r, *g, *b).filled(),
            )))
            .map_err(|e| draw_err(&e))?;
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (x + 0.2, y + step * 0.25),
                ("sans-serif", 15),
            )))
            .map_err(|e| draw_err(&e))?;
        y -= step;
    }
    for (label, colour) in [
        ("flow across the Sichuan-Chongqing border", RGBColor(33, 102, 172)),
        ("flow between prefectures of one province", RGBColor(90, 90, 90)),
    ] {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x - 0.1, y), (x + 0.1, y)],
                colour.stroke_width(3),
            )))
            .map_err(|e| draw_err(&e))?;
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (x + 0.2, y + step * 0.25),
                ("sans-serif", 15),
            )))
            .map_err(|e| draw_err(&e))?;
        y -= step;
    }
    chart
        .draw_series(std::iter::once(Text::new(
            "circle area: openings of the district",
            (x - 0.1, y + step * 0.25),
            ("sans-serif", 15),
        )))
        .map_err(|e| draw_err(&e))?;
    root.present().map_err(|e| draw_err(&e))?;
    Ok(())
}
