package ui

// The Simulator window's texts for the intervention light and the
// cabinet's compartments (issue 10 item 7). They live apart from
// i18n.go's catalog literal and join it in init.

const (
	mTowerIs        msg = "towerIs"  // the light's colour
	mTowerOff       msg = "towerOff" // the colours, as mTowerIs takes them
	mTowerGreen     msg = "towerGreen"
	mTowerYellow    msg = "towerYellow"
	mTowerRed       msg = "towerRed"
	mTowerBlinking  msg = "towerBlinking" // appended when it blinks
	mTowerChimes    msg = "towerChimes"   // chimes so far
	mTowerBuzzer    msg = "towerBuzzer"   // shown while the alarm sounds
	mTowerComp      msg = "towerComp"     // compartment n: lock, door
	mTowerLocked    msg = "towerLocked"
	mTowerUnlocked  msg = "towerUnlocked"
	mTowerDoorOpen  msg = "towerDoorOpen"
	mTowerDoorShut  msg = "towerDoorShut"
	mTowerForceDoor msg = "towerForceDoor" // the button that forces a locked door (under "Skapdør")
)

var towerTexts = map[string]map[msg]string{
	LangNorwegian: {
		mTowerIs:        "Tårnlys: %s",
		mTowerOff:       "av",
		mTowerGreen:     "grønt",
		mTowerYellow:    "gult",
		mTowerRed:       "rødt",
		mTowerBlinking:  "blinker",
		mTowerChimes:    "Ringesignaler: %d",
		mTowerBuzzer:    "Summeren lyder!",
		mTowerComp:      "Rom %d: %s, %s",
		mTowerLocked:    "låst",
		mTowerUnlocked:  "ulåst",
		mTowerDoorOpen:  "døren er åpen",
		mTowerDoorShut:  "døren er lukket",
		mTowerForceDoor: "Bryt opp",
	},
	LangEnglish: {
		mTowerIs:        "Tower light: %s",
		mTowerOff:       "off",
		mTowerGreen:     "green",
		mTowerYellow:    "yellow",
		mTowerRed:       "red",
		mTowerBlinking:  "blinking",
		mTowerChimes:    "Chimes: %d",
		mTowerBuzzer:    "The buzzer sounds!",
		mTowerComp:      "Compartment %d: %s, %s",
		mTowerLocked:    "locked",
		mTowerUnlocked:  "unlocked",
		mTowerDoorOpen:  "door open",
		mTowerDoorShut:  "door closed",
		mTowerForceDoor: "Force",
	},
}

func init() { addTexts(towerTexts) }
