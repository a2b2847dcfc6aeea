// Package fynelocale keeps Fyne from logging "Error parsing user locale
// C" on every start under the C.UTF-8 locale (Debian's default in
// containers and minimal installs, also for `selvkasse sim` and every
// other command of the binary, which links Fyne).
//
// Fyne 2.7.1 reads the user's locale in the init of fyne.io/fyne/v2/lang
// (updateLocalizer, through github.com/jeandeaual/go-locale): the first
// non-empty of LC_ALL, LC_MESSAGES and LANG, with its codeset cut off. An
// exact "C" or "POSIX" is skipped, but "C.UTF-8" leaves "C", which
// golang.org/x/text/language cannot parse, and Fyne logs the error to
// stderr. For such a value go-locale reads LANGUAGE first; this package
// sets LANGUAGE=en when it is empty (English is what Fyne falls back to
// anyway and what the C locale's messages are), in its own init.
//
// That init runs before Fyne's: the Go specification (Package
// initialization, Go 1.21 and later) initialises the packages in the
// order of their import paths, each as soon as its imports are. This
// package imports only os and strings; fyne/v2/lang needs text/template,
// which needs both, and "selvkasse/app/fynelocale" sorts before
// "text/template". TestFyneLocaleQuiet (in app) proves it on the binary.
// The kiosk's own screens take their language from the config, never
// from the locale.
package fynelocale
