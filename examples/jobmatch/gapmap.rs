//! The gap map: one skill's demand against its supply in every district
//! (or prefecture), at the districts' coordinates.

use std::path::Path;

use jobmatch::guidance::{AreaLevel, SkillArea};
use jobmatch::{Error, Result};

/// Labels drawn: the areas with the largest gaps.
const LABELLED: usize = 12;

/// Draws the map to a PNG: a circle per area, its area proportional to the
/// demand, red where demand exceeds supply (deeper as the gap grows), blue
/// where supply covers it; every district a grey dot beneath.
///
/// # Errors
/// No usable font, or the file cannot be written.
pub fn draw(path: &Path, areas: &[SkillArea], skill: &str, level: AreaLevel) -> Result<()> {
    use plotters::prelude::*;
    let draw_err = |e: &dyn std::fmt::Display| Error::Io {
        path: Some(path.to_owned()),
        source: std::io::Error::other(e.to_string()),
    };
    // Without a font with Chinese glyphs, places are labelled by code.
    let cjk = crate::bench::cjk_font()?;
    let counties = crate::flowmap::counties();
    let (lon0, lon1, lat0, lat1) = crate::flowmap::extent(&counties);
    let root = BitMapBackend::new(path, (1200, 900)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_err(&e))?;
    let per = match level {
        AreaLevel::District => "district",
        AreaLevel::Prefecture => "prefecture",
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{skill}: openings asking for it against seekers holding it, by {per}"),
            ("sans-serif", 22),
        )
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
    chart
        .draw_series(counties.iter().map(|r| {
            Circle::new(
                (r.centroid.lon(), r.centroid.lat()),
                2,
                RGBColor(190, 190, 190).filled(),
            )
        }))
        .map_err(|e| draw_err(&e))?;
    let most = areas
        .iter()
        .map(|a| a.demand.max(a.supply as f64))
        .fold(1.0, f64::max);
    let widest = areas
        .iter()
        .map(|a| (a.demand - a.supply as f64).abs())
        .fold(1.0, f64::max);
    for a in areas {
        let gap = a.demand - a.supply as f64;
        let radius = 3.0 + 26.0 * (a.demand.max(a.supply as f64) / most).sqrt();
        let depth = (gap.abs() / widest).sqrt();
        let colour = if gap > 0.0 {
            RGBColor(255, (200.0 - 160.0 * depth) as u8, (180.0 - 150.0 * depth) as u8)
        } else {
            RGBColor((170.0 - 140.0 * depth) as u8, (200.0 - 100.0 * depth) as u8, 255)
        };
        chart
            .draw_series(std::iter::once(Circle::new(
                (a.lon, a.lat),
                radius as i32,
                colour.mix(0.8).filled(),
            )))
            .map_err(|e| draw_err(&e))?;
    }
    let mut by_gap: Vec<&SkillArea> = areas.iter().collect();
    by_gap.sort_by(|a, b| {
        (b.demand - b.supply as f64)
            .total_cmp(&(a.demand - a.supply as f64))
            .then(a.code.cmp(&b.code))
    });
    // The largest gaps labelled, skipping one that would overlap a label
    // already drawn (Chengdu's and Chongqing's districts crowd).
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for a in by_gap.iter() {
        if placed.len() >= LABELLED {
            break;
        }
        if placed
            .iter()
            .any(|&(lon, lat)| (lon - a.lon).abs() < 0.9 && (lat - a.lat).abs() < 0.18)
        {
            continue;
        }
        placed.push((a.lon, a.lat));
        chart
            .draw_series(std::iter::once(Text::new(
                format!(
                    "{} {:+.0}",
                    if cjk { &a.name } else { &a.code },
                    a.demand - a.supply as f64
                ),
                (a.lon + 0.08, a.lat + 0.08),
                ("sans-serif", 15),
            )))
            .map_err(|e| draw_err(&e))?;
    }
    let x = lon0 - 0.3;
    let y = lat1 + 0.1;
    let step = (lat1 - lat0) / 28.0;
    for (i, (label, colour)) in [
        (
            "more openings ask for it than seekers here hold it (deeper: larger gap)",
            RGBColor(255, 40, 30),
        ),
        (
            "seekers here hold it as often as openings ask",
            RGBColor(30, 100, 255),
        ),
        (
            "circle area: openings asking for it (weighted by its share of their skills)",
            RGBColor(150, 150, 150),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let yy = y - step * i as f64;
        chart
            .draw_series(std::iter::once(Circle::new((x, yy), 7, colour.filled())))
            .map_err(|e| draw_err(&e))?;
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (x + 0.2, yy + step * 0.25),
                ("sans-serif", 15),
            )))
            .map_err(|e| draw_err(&e))?;
    }
    root.present().map_err(|e| draw_err(&e))?;
    Ok(())
}
