package kiosk

// Checkout: what the customer screen needs to speak plainly (issue 14,
// "Words"): the line added last and a way to take it out again, the
// terminal's decline reason as a code the screen translates, and a
// search by name for goods whose barcode cannot be read.

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordsState is the checkout's part of the customer's words.
type wordsState struct {
	lastAdded   GTIN   // the line added to last; may have left the basket since
	declineCode string // the terminal's result code of the last decline
}

// addedLocked notes that the customer added to line g, unless the basket
// refused it (err).
func (c *Checkout) addedLocked(g GTIN, err error) {
	if err == nil {
		c.words.lastAdded = g
	}
}

// lastLineLocked is the basket line RemoveLast takes from: the one added
// to last while it is in the basket, else the basket's last line.
func (c *Checkout) lastLineLocked() (Line, bool) {
	if c.words.lastAdded != "" {
		if i := c.basket.find(c.words.lastAdded); i >= 0 {
			return c.basket.Lines[i], true
		}
	}
	if n := len(c.basket.Lines); n > 0 {
		return c.basket.Lines[n-1], true
	}
	return Line{}, false
}

// wordsViewLocked fills in the view's LastAdded and NoticeCode.
func (c *Checkout) wordsViewLocked(v *View) {
	if l, ok := c.lastLineLocked(); ok {
		v.LastAdded = l.Product.GTIN
	}
	if c.notice == NoticeDeclined {
		v.NoticeCode = c.words.declineCode
	}
}

// RemoveLast takes one of the item the customer added last out of the
// basket (View.LastAdded): a scan made twice by mistake is undone with
// one tap. Pressed again it goes on with the same line, then the
// basket's last. It is SetQty one lower, with SetQty's errors; an empty
// basket is ErrNotNow.
func (c *Checkout) RemoveLast() error {
	c.mu.Lock()
	l, ok := c.lastLineLocked()
	c.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: remove last: the basket is empty", ErrNotNow)
	}
	return c.SetQty(l.Product.GTIN, l.Qty-1)
}

// Search finds the products whose name holds every word of q (letter
// case ignored), in the catalog's order (by name), at most max (max ≤ 0:
// all). An empty q finds nothing. Errors: the catalog's. Cabinet and
// age-limited goods are found like any other: adding them goes through
// Add and so through the age check at Pay. A catalog that is a
// NameFinder is asked for the matches alone; another is listed whole.
func (c *Checkout) Search(ctx context.Context, q string, max int) ([]Product, error) {
	match, ok := NameMatch(q)
	if !ok {
		return nil, nil
	}
	if f, ok := c.d.Catalog.(NameFinder); ok {
		out, err := f.FindNames(ctx, match, max)
		if err != nil {
			return nil, fmt.Errorf("checkout: search: %w", err)
		}
		return out, nil
	}
	all, err := c.d.Catalog.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("checkout: search: %w", err)
	}
	return FindNamesIn(all, match, max), nil
}

// FindNamesIn is NameFinder.FindNames over ps, a whole catalog as List
// gives it: the products whose Name match accepts, in ps's order, at most
// max (max ≤ 0: all); nil when none does.
func FindNamesIn(ps []Product, match func(name string) bool, max int) []Product {
	var out []Product
	for _, p := range ps {
		if max > 0 && len(out) == max {
			break
		}
		if match(p.Name) {
			out = append(out, p)
		}
	}
	return out
}

// NameMatch returns the test of Search: whether a name holds every word
// of q, letter case ignored. ok is false when q has no words.
func NameMatch(q string) (match func(name string) bool, ok bool) {
	words := strings.Fields(strings.ToLower(q))
	if len(words) == 0 {
		return nil, false
	}
	runes := make([][]rune, len(words))
	for i, w := range words {
		runes[i] = []rune(w)
	}
	return func(name string) bool {
		for _, w := range runes {
			if !containsLower(name, w) {
				return false
			}
		}
		return true
	}, true
}

// NameFinder is a Catalog that finds products by name without handing
// out the whole catalog (storage.DB: with 100 000 products, List copied
// 20 MB for every letter typed into the search, and the search took
// 20–29 ms here). FindNames returns the products whose Name match accepts, as
// List gives them and in its order, at most max (max ≤ 0: all). match
// must not block: the catalog may call it under its lock. Errors: the
// catalog's.
type NameFinder interface {
	FindNames(ctx context.Context, match func(name string) bool, max int) ([]Product, error)
}

// containsLower says whether strings.ToLower(s) contains w, a word in
// lower case already, without building the lower-case string: rune by
// rune, mapped as ToLower maps them (unicode.ToLower; a byte that is not
// UTF-8 reads as utf8.RuneError, as ToLower writes it).
func containsLower(s string, w []rune) bool {
	for i := 0; ; {
		if lowerPrefix(s[i:], w) {
			return true
		}
		if i == len(s) {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
}

// lowerPrefix says whether the lower case of s begins with w.
func lowerPrefix(s string, w []rune) bool {
	for _, r := range w {
		if s == "" {
			return false
		}
		c, n := utf8.DecodeRuneInString(s)
		if unicode.ToLower(c) != r {
			return false
		}
		s = s[n:]
	}
	return true
}
