//! `lodestone pack DECK --pdf OUT.pdf`: the board pack of a deck in one command, one page per
//! slide and a last page of the inputs that differ (see `output::pack`).

use crate::output::RenderError;
use crate::output::pack::{build, to_pdf};
use crate::scenario::deck::load_deck;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `lodestone pack`.
#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// The deck file (the one `--present` shows).
    #[arg(value_name = "DECK")]
    pub deck: PathBuf,
    /// Where to write the PDF.
    #[arg(long, value_name = "OUT.pdf")]
    pub pdf: PathBuf,
}

/// Runs the subcommand: 0 on success, 1 when the deck or a scenario is refused or the file
/// cannot be written.
pub fn run(args: &PackArgs) -> ExitCode {
    let deck = match load_deck(&args.deck) {
        Ok(deck) => deck,
        Err(e) => {
            errln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(super::Failure::Usage(m)) =
        super::check_outputs(&deck.input_files(), &[("--pdf", Some(args.pdf.as_path()))])
    {
        errln!("lodestone pack: {m}");
        return ExitCode::from(2);
    }
    let date = crate::display::format::date(std::time::SystemTime::now());
    let (pack, warnings) = build(&deck, &date);
    for w in warnings {
        errln!("warning: {w}");
    }
    let written = to_pdf(&pack).and_then(|bytes| {
        crate::scenario::atomic::write_atomic(&args.pdf, &bytes).map_err(RenderError::from)
    });
    match written {
        Ok(()) => {
            errln!(
                "wrote {} ({} slides and a page of the inputs that differ)",
                args.pdf.display(),
                deck.slides.len()
            );
            ExitCode::SUCCESS
        }
        Err(m) => {
            errln!("lodestone pack: {m}");
            ExitCode::FAILURE
        }
    }
}
