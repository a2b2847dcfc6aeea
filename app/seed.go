package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"selvkasse/app/staffpin"
	"selvkasse/kiosk"
)

// DemoShop is the demo's seller. 999999999 is the organisation number
// Skatteetaten uses for its fictitious example company.
var DemoShop = kiosk.Shop{
	Name:    "Selvkasse Demo Tobakk",
	OrgNo:   "999 999 999",
	Address: "Karl Johans gate 1, 0154 Oslo",
}

// DemoCatalog is a small Norwegian tobacco kiosk. The brands are made up
// and the GTINs are fictitious codes with valid check digits. The cabinet
// goods are spread over the demo cabinet's compartments
// (DemoCompartments): snus in 1, cigarettes in 2, rolling tobacco in 3.
func DemoCatalog() []kiosk.Product {
	p := func(gtin, name string, g kiosk.Group, vat kiosk.VATRate, price kiosk.Money, stock int) kiosk.Product {
		pr := kiosk.Product{GTIN: kiosk.MustGTIN(gtin), Name: name, Group: g, VAT: vat, Price: price, Stock: stock}
		if g == kiosk.GroupTobacco {
			pr.MinAge, pr.Cabinet = kiosk.AdultAge, true
		}
		return pr
	}
	in := func(compartment int, pr kiosk.Product) kiosk.Product {
		pr.Compartment = compartment
		return pr
	}
	withPant := func(pant kiosk.Money, pr kiosk.Product) kiosk.Product {
		pr.Deposit = pant
		return pr
	}
	return []kiosk.Product{
		// Cabinet: chosen from a text-only list, never shown as pictures.
		in(1, p("7039990000014", "Nordlys Snus Original Portion 24 g", kiosk.GroupTobacco, kiosk.VAT25, 12900, 40)),
		in(1, p("7039990000021", "Nordlys Snus White Mint 24 g", kiosk.GroupTobacco, kiosk.VAT25, 13400, 30)),
		in(2, p("7039990000038", "Fjell Sigaretter Blå 20 stk", kiosk.GroupTobacco, kiosk.VAT25, 17900, 25)),
		in(2, p("7039990000045", "Fjell Sigaretter Rød 20 stk", kiosk.GroupTobacco, kiosk.VAT25, 17900, 25)),
		in(3, p("7039990000052", "Vestkyst Rulletobakk 50 g", kiosk.GroupTobacco, kiosk.VAT25, 18900, 12)),
		// Shelf goods: scanned.
		p("7039990000113", "Cola 0,5 l", kiosk.GroupSoftDrink, kiosk.VAT15, 3290, 48),
		p("7039990000120", "Farris Naturell 0,5 l", kiosk.GroupSoftDrink, kiosk.VAT15, 2990, 48),
		p("7039990000137", "Melkesjokolade 200 g", kiosk.GroupFood, kiosk.VAT15, 4290, 20),
		p("7039990000144", "Dagsavisen (avis)", kiosk.GroupPress, kiosk.VAT0, 4500, 15),
		p("7039990000151", "Lighter", kiosk.GroupOther, kiosk.VAT25, 1990, 50),
		p("7039990000168", "Tyggegummi Peppermynte", kiosk.GroupFood, kiosk.VAT15, 2490, 30),
		// A can with pant (Deposit), charged on top of the price.
		withPant(200, p("7039990000175", "Solo 0,33 l boks", kiosk.GroupSoftDrink, kiosk.VAT15, 2490, 48)),
		// In-store price and weight labels (app/shopper.go).
		demoInStoreProducts()[0], demoInStoreProducts()[1],
	}
}

// seedIfEmpty fills an empty catalog with the demo products.
func seedIfEmpty(ctx context.Context, c kiosk.Catalog) error {
	have, err := c.List(ctx)
	if err != nil {
		return fmt.Errorf("read catalog: %w", err)
	}
	if len(have) > 0 {
		return nil
	}
	for _, p := range DemoCatalog() {
		if err := c.Put(ctx, p); err != nil {
			return fmt.Errorf("seed catalog: %w", err)
		}
	}
	return nil
}

// DemoStaffMember is one of the demo's staff, with the PIN they log in
// with.
type DemoStaffMember struct {
	Staff kiosk.Staff // without PIN hash
	PIN   string
	// Hash is PIN's argon2id hash with staffpin.Default, computed once
	// (TestDemoStaffHashes checks it). The demo's PINs are printed in the
	// README, so a salt drawn at each install would guard nothing, and
	// hashing them cost a new demo data dir 0.7 s here and 6 s of the
	// appliance's first boot under emulation (start-up "store" step).
	Hash kiosk.PINHash
}

// DemoStaff are the demo's staff, as the README lists them: a clerk and a
// supervisor. Their badges are the Code 128 codes STAFF-ola and
// STAFF-kari (the demo scanner's staff prefix is "STAFF-").
func DemoStaff() []DemoStaffMember {
	return []DemoStaffMember{
		{kiosk.Staff{ID: "ola", Name: "Ola Nordmann", Role: kiosk.RoleClerk, Badge: "ola", Active: true}, "1234",
			demoPINHash("2evCh+issLLjzNiSY6vgww==", "wZXCDukCnDKE9aeWbT9tzpLcX6t9/KErV7KGpd6NbCk=")},
		{kiosk.Staff{ID: "kari", Name: "Kari Nordmann", Role: kiosk.RoleSupervisor, Badge: "kari", Active: true}, "2468",
			demoPINHash("cc6hF/2A27rObCEIN3KbuA==", "TWr/Od1Yx6UugBHXgbzqyfbCVneLuAVdruVx5V3vfhI=")},
	}
}

// demoPINHash is a demo PIN's hash with staffpin.Default from its salt
// and hash in base64 (constants of this file: a bad one is a programming
// error, and TestDemoStaffHashes fails on it first).
func demoPINHash(salt, hash string) kiosk.PINHash {
	s, err1 := base64.StdEncoding.DecodeString(salt)
	h, err2 := base64.StdEncoding.DecodeString(hash)
	if err := errors.Join(err1, err2); err != nil {
		panic("app: demo PIN hash: " + err.Error())
	}
	p := staffpin.Default
	return kiosk.PINHash{Algorithm: staffpin.Algorithm, Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads, KeyLen: p.KeyLen, Salt: s, Hash: h}
}

// demoSeedBy is who the demo's staff were added by, in their staff-added
// records: the mark of a demo data dir (the SAF-T export names the demo
// shop for it).
const demoSeedBy = "demo seed"

// seedStaffIfEmpty adds the demo staff to an empty register, journaled
// like any change to it. Their PINs are hashed with h; a nil h takes the
// precomputed hashes (DemoStaffMember.Hash), as the demo does.
func seedStaffIfEmpty(ctx context.Context, st kiosk.StaffStore, h kiosk.PINHasher, now time.Time) error {
	have, err := st.ListStaff(ctx)
	if err != nil {
		return fmt.Errorf("read staff register: %w", err)
	}
	if len(have) > 0 {
		return nil
	}
	for _, m := range DemoStaff() {
		s := m.Staff
		s.PIN = m.Hash
		if h != nil {
			if s.PIN, err = h.Hash(m.PIN); err != nil {
				return fmt.Errorf("seed staff %s: %w", s.ID, err)
			}
		}
		if err := st.AddStaff(ctx, s, kiosk.StaffEntry(kiosk.SubStaffAdded, s, now, demoSeedBy)); err != nil {
			return fmt.Errorf("seed staff: %w", err)
		}
	}
	return nil
}
