//! The `cuesheet` binary: the window when run with no subcommand, the CLI otherwise.

fn main() -> std::process::ExitCode {
    cuesheet_lib::main()
}
