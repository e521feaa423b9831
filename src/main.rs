//! Entry point only: parse the command line, open the window or run a subcommand.

fn main() -> std::process::ExitCode {
    lodestone::cli::run()
}
