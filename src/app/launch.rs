//! What the command line asks of the window: the file to open, a screenshot to take, and the
//! view to start in, turned into the commands the first frame applies.

use super::Command;
use super::present::PresentCommand;
use std::path::PathBuf;

/// What the command line asks of the window.
#[derive(Debug, Default, Clone)]
pub struct LaunchOptions {
    /// Scenario file to open.
    pub file: Option<PathBuf>,
    /// Render the window, save a PNG of it here and exit.
    pub screenshot: Option<PathBuf>,
    /// What to show first (pins, delta view, a deck in presentation mode).
    pub start: StartView,
}

/// What the command line asks the window to show first.
#[derive(Clone, Debug, Default)]
pub struct StartView {
    /// Scenario files to pin to the charts (the first becomes the baseline).
    pub pin: Vec<PathBuf>,
    /// Start in the delta view (current minus baseline).
    pub delta: bool,
    /// Open the compare table and lever diff.
    pub table: bool,
    /// Deck file to present, full screen.
    pub present: Option<PathBuf>,
    /// 1-based slide to start at.
    pub slide: usize,
}

impl StartView {
    /// True when nothing but the default view is asked for (a file may still be given).
    pub fn is_plain(&self) -> bool {
        self.pin.is_empty() && !self.delta && !self.table && self.present.is_none()
    }

    /// The commands that set this view up, applied with the first frame.
    pub fn commands(self) -> Vec<Command> {
        use super::compare::CompareCommand;
        let mut out: Vec<Command> = self
            .pin
            .into_iter()
            .map(|p| Command::Compare(CompareCommand::PinFile(p)))
            .collect();
        if self.delta {
            out.push(Command::Compare(CompareCommand::SetDelta(true)));
        }
        if self.table {
            out.push(Command::Compare(CompareCommand::ShowTable(true)));
        }
        if let Some(deck) = self.present {
            out.push(Command::Present(PresentCommand::OpenDeck(deck)));
            if self.slide > 1 {
                out.push(Command::Present(PresentCommand::GoTo(self.slide - 1)));
            }
        }
        out
    }
}
