package app

// Fyne complains about the C.UTF-8 locale at its package init; the fix
// must run in an init that comes before Fyne's (see the package).
import _ "selvkasse/app/fynelocale"
