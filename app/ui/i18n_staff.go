package ui

// Texts of the staff log-in (PIN pad), the staff screen and the customer
// texts that came with them (issue 10): the call for help, the release
// list and the badge notices. They join catalog in init, so that files
// written apart never edit the same map literal; TestCatalogComplete
// checks them like the rest.

// Customer screens.
const (
	mAssistStaffHint      msg = "assistStaffHint"
	mHelpCalled           msg = "helpCalled"
	mHelpWithdraw         msg = "helpWithdraw"
	mReleaseItem          msg = "releaseItem"       // compartment, quantity, name
	mReleaseItemNoComp    msg = "releaseItemNoComp" // quantity, name
	mNoticeBadgeUnknown   msg = "notice.BadgeUnknown"
	mNoticeBadgeLocked    msg = "notice.BadgeLocked"
	mNoticeBadgeLockedArg msg = "notice.BadgeLocked.arg"
	mNoticeStaffNotNow    msg = "notice.StaffNotNow"
)

// The PIN pad and the staff screen.
const (
	mPINTitle              msg = "pin.title"
	mPINFor                msg = "pin.for"
	mPINWho                msg = "pin.who"
	mPINHint               msg = "pin.hint"
	mPINChecking           msg = "pin.checking"
	mPINErase              msg = "pin.erase"
	mPINOK                 msg = "pin.ok"
	mPINCancel             msg = "pin.cancel"
	mPINWrong              msg = "pin.wrong"
	mPINWrongArg           msg = "pin.wrong.arg"
	mStaffTitle            msg = "staff.title"
	mLogout                msg = "staff.logout"
	mStaffNotForRole       msg = "staff.notForRole"
	mStaffNotForRoleArg    msg = "staff.notForRole.arg"
	mStaffNotNow           msg = "staff.notNow"
	mStaffNotNowArg        msg = "staff.notNow.arg"
	mStaffFailed           msg = "staff.failed"
	mStaffFailedArg        msg = "staff.failed.arg"
	mStaffNoSession        msg = "staff.noSession"
	mStaffLater            msg = "staff.later"
	mStaffWorking          msg = "staff.working"
	mStaffChoose           msg = "staff.choose"
	mStaffBack             msg = "staff.back"
	mStaffLine             msg = "staff.line"
	mStaffPickLine         msg = "staff.pickLine"
	mStaffCompartment      msg = "staff.compartment"
	mStaffNoCompartments   msg = "staff.noCompartments"
	mStaffPickCompartment  msg = "staff.pickCompartment"
	mStaffPickReason       msg = "staff.pickReason"
	mStaffSale             msg = "staff.sale"
	mStaffNoSale           msg = "staff.noSale"
	mStaffSaleLine         msg = "staff.saleLine"
	mStaffHelpOpen         msg = "staff.helpOpen"
	mStaffDevices          msg = "staff.devices"
	mStaffDeviceOK         msg = "staff.deviceOK"
	mStaffDeviceFault      msg = "staff.deviceFault"
	mStaffLocked           msg = "staff.locked"
	mStaffUnlocked         msg = "staff.unlocked"
	mStaffDoorOpen         msg = "staff.doorOpen"
	mStaffDoorClosed       msg = "staff.doorClosed"
	mStaffCompartmentState msg = "staff.compartmentState"
	mStaffNoDevices        msg = "staff.noDevices"
	mStaffQueue            msg = "staff.queue"
	mStaffCall             msg = "staff.call"
	mStaffThisKiosk        msg = "staff.thisKiosk"
	mStaffQueueEmpty       msg = "staff.queueEmpty"
	mStaffToday            msg = "staff.today"
	mStaffSales            msg = "staff.sales"
	mStaffAgeApproved      msg = "staff.ageApproved"
	mStaffAgeRefused       msg = "staff.ageRefused"
	mStaffOverrides        msg = "staff.overrides"
	mStaffCancelled        msg = "staff.cancelled"

	mOvApproveAge      msg = "override.ApproveAge"
	mOvRefuseAge       msg = "override.RefuseAge"
	mOvVoidLine        msg = "override.VoidLine"
	mOvCancelSale      msg = "override.CancelSale"
	mOvResumeSale      msg = "override.ResumeSale"
	mOvCompleteSale    msg = "override.CompleteSale"
	mOvOpenCompartment msg = "override.OpenCompartment"
	mOvClearFault      msg = "override.ClearFault"
	mOvXReport         msg = "override.XReport"
	mOvZReport         msg = "override.ZReport"
	mOvCopyReceipt     msg = "override.CopyReceipt"
	mOvReturn          msg = "override.Return"
	mOvReceiveStock    msg = "override.ReceiveStock"
	mOvTrainingMode    msg = "override.TrainingMode"

	mReasonIDChecked      msg = "reason.IDChecked"
	mReasonNoValidID      msg = "reason.NoValidID"
	mReasonCustomerAsked  msg = "reason.CustomerAsked"
	mReasonWrongItem      msg = "reason.WrongItem"
	mReasonPaymentProblem msg = "reason.PaymentProblem"
	mReasonDeviceFault    msg = "reason.DeviceFault"
	mReasonRestock        msg = "reason.Restock"
	mReasonRepaired       msg = "reason.Repaired"
	mReasonOther          msg = "reason.Other"
	mReasonEndOfDay       msg = "reason.EndOfDay"

	mRoleClerk      msg = "role.clerk"
	mRoleSupervisor msg = "role.supervisor"
	mRoleTechnician msg = "role.technician"

	mStateIdle           msg = "state.Idle"
	mStateShopping       msg = "state.Shopping"
	mStateTimeoutWarning msg = "state.TimeoutWarning"
	mStateAgeCheck       msg = "state.AgeCheckPending"
	mStatePaying         msg = "state.Paying"
	mStateDeclined       msg = "state.PaymentDeclined"
	mStateReleasing      msg = "state.Releasing"
	mStateReceipt        msg = "state.Receipt"
	mStateAssistance     msg = "state.Assistance"
	mStateOutOfOrder     msg = "state.OutOfOrder"

	mDevScanner       msg = "device.scanner"
	mDevPrinter       msg = "device.printer"
	mDevTerminal      msg = "device.terminal"
	mDevTerminalSetup msg = "device.terminalSetup"
	mDevCabinet       msg = "device.cabinet"
	mDevLight         msg = "device.light"
	mDetailFailed     msg = "detail.failed"
	mDetailPaperLow   msg = "detail.paperLow"
	mDetailForced     msg = "detail.forced"

	mCallHelp       msg = "call.Help"
	mCallAgeCheck   msg = "call.AgeCheck"
	mCallSale       msg = "call.Sale"
	mCallDoorForced msg = "call.DoorForced"
	mCallDoorOpen   msg = "call.DoorOpen"
	mCallOutOfOrder msg = "call.OutOfOrder"
)

// staffTexts are this file's texts per language.
var staffTexts = map[string]map[msg]string{
	LangNorwegian: {
		mAssistStaffHint:      "Ansatte logger inn med ansattkortet.",
		mHelpCalled:           "Du har tilkalt en ansatt – noen kommer straks.",
		mHelpWithdraw:         "Trekk tilbake anropet",
		mReleaseItem:          "Ta fra rom %d: %d × %s",
		mReleaseItemNoComp:    "Ta ut %d × %s",
		mNoticeBadgeUnknown:   "Ansattkortet er ukjent eller ikke i bruk.",
		mNoticeBadgeLocked:    "For mange feil PIN-koder. Kortet er sperret en stund.",
		mNoticeBadgeLockedArg: "For mange feil PIN-koder. Kortet er sperret til kl. %s.",
		mNoticeStaffNotNow:    "Ansatte kan logge inn når betalingen eller utleveringen er ferdig.",

		mPINTitle:              "Ansattinnlogging",
		mPINFor:                "Innlogging for",
		mPINWho:                "Hvem logger inn?",
		mPINHint:               "Tast PIN-koden din (%d–%d siffer)",
		mPINChecking:           "Sjekker PIN-koden …",
		mPINErase:              "Slett",
		mPINOK:                 "OK",
		mPINCancel:             "Avbryt",
		mPINWrong:              "Feil PIN-kode.",
		mPINWrongArg:           "Feil PIN-kode. %s forsøk igjen.",
		mStaffTitle:            "Ansatt: %s (%s)",
		mLogout:                "Logg ut",
		mStaffNotForRole:       "Ikke tillatt for din rolle.",
		mStaffNotForRoleArg:    "Ikke tillatt for din rolle: %s.",
		mStaffNotNow:           "Det går ikke nå.",
		mStaffNotNowArg:        "Det går ikke nå: %s.",
		mStaffFailed:           "Det gikk ikke. Prøv igjen.",
		mStaffFailedArg:        "Det gikk ikke: %s.",
		mStaffNoSession:        "Du er logget ut. Skann ansattkortet på nytt.",
		mStaffLater:            "Kommer senere",
		mStaffWorking:          "Utfører: %s …",
		mStaffChoose:           "Velg handling",
		mStaffBack:             "Tilbake",
		mStaffLine:             "%d × %s",
		mStaffPickLine:         "Velg varen som skal fjernes",
		mStaffCompartment:      "Rom %d",
		mStaffNoCompartments:   "Skapet har ingen rom.",
		mStaffPickCompartment:  "Velg rommet som skal åpnes",
		mStaffPickReason:       "Velg årsak",
		mStaffSale:             "Kundens handel",
		mStaffNoSale:           "Ingen handel pågår.",
		mStaffSaleLine:         "%s – %s, %s",
		mStaffHelpOpen:         "Kunden ba om hjelp kl. %s.",
		mStaffDevices:          "Utstyr",
		mStaffDeviceOK:         "%s: i orden",
		mStaffDeviceFault:      "%s: feil",
		mStaffLocked:           "låst",
		mStaffUnlocked:         "ulåst",
		mStaffDoorOpen:         "døren er åpen",
		mStaffDoorClosed:       "døren er lukket",
		mStaffCompartmentState: "Rom %d: %s, %s",
		mStaffNoDevices:        "Ingen status fra utstyret.",
		mStaffQueue:            "Venter på en ansatt",
		mStaffCall:             "kl. %s · %s · %s",
		mStaffThisKiosk:        "denne kassen",
		mStaffQueueEmpty:       "Ingen venter.",
		mStaffToday:            "I dag",
		mStaffSales:            "Salg",
		mStaffAgeApproved:      "Alder godkjent",
		mStaffAgeRefused:       "Alder avvist",
		mStaffOverrides:        "Overstyringer",
		mStaffCancelled:        "Avbrutte handler",

		mOvApproveAge:      "Godkjenn alder",
		mOvRefuseAge:       "Avvis alder",
		mOvVoidLine:        "Fjern vare",
		mOvCancelSale:      "Avbryt salget",
		mOvResumeSale:      "Fortsett handelen",
		mOvCompleteSale:    "Fullfør salget",
		mOvOpenCompartment: "Åpne rom",
		mOvClearFault:      "Feil rettet",
		mOvXReport:         "X-rapport",
		mOvZReport:         "Z-rapport",
		mOvCopyReceipt:     "Kopikvittering",
		mOvReturn:          "Retur",
		mOvReceiveStock:    "Varemottak",
		mOvTrainingMode:    "Treningsmodus",

		mReasonIDChecked:      "Legitimasjon sjekket",
		mReasonNoValidID:      "Mangler gyldig legitimasjon",
		mReasonCustomerAsked:  "Kunden ba om det",
		mReasonWrongItem:      "Feil vare",
		mReasonPaymentProblem: "Betalingsproblem",
		mReasonDeviceFault:    "Feil på utstyr",
		mReasonRestock:        "Påfylling",
		mReasonRepaired:       "Reparert",
		mReasonOther:          "Annet",
		mReasonEndOfDay:       "Dagsoppgjør",

		mRoleClerk:      "butikkmedarbeider",
		mRoleSupervisor: "butikksjef",
		mRoleTechnician: "tekniker",

		mStateIdle:           "Ledig",
		mStateShopping:       "Handler",
		mStateTimeoutWarning: "Spør om kunden fortsatt er der",
		mStateAgeCheck:       "Venter på alderskontroll",
		mStatePaying:         "Betaler",
		mStateDeclined:       "Kortet ble avvist",
		mStateReleasing:      "Henter varer i skapet",
		mStateReceipt:        "Kvittering",
		mStateAssistance:     "Trenger en ansatt",
		mStateOutOfOrder:     "Ute av drift",

		mDevScanner:       "Strekkodeleser",
		mDevPrinter:       "Kvitteringsskriver",
		mDevTerminal:      "Betalingsterminal",
		mDevTerminalSetup: "Betalingsterminalens oppsett",
		mDevCabinet:       "Tobakksskapet",
		mDevLight:         "Varsellampen",
		mDetailFailed:     "feil",
		mDetailPaperLow:   "lite papir",
		mDetailForced:     "brutt opp",

		mCallHelp:       "Kunden ber om hjelp",
		mCallAgeCheck:   "Alderskontroll",
		mCallSale:       "Salget trenger en ansatt",
		mCallDoorForced: "Skapet er brutt opp",
		mCallDoorOpen:   "Skapdøren står åpen",
		mCallOutOfOrder: "Ute av drift",
	},
	LangEnglish: {
		mAssistStaffHint:      "Staff log in with their staff badge.",
		mHelpCalled:           "Staff is called – someone is coming.",
		mHelpWithdraw:         "Withdraw the call",
		mReleaseItem:          "Take from compartment %d: %d × %s",
		mReleaseItemNoComp:    "Take out %d × %s",
		mNoticeBadgeUnknown:   "This staff badge is unknown or not in use.",
		mNoticeBadgeLocked:    "Too many wrong PINs. The badge is locked for a while.",
		mNoticeBadgeLockedArg: "Too many wrong PINs. The badge is locked until %s.",
		mNoticeStaffNotNow:    "Staff can log in when the payment or the release is finished.",

		mPINTitle:              "Staff log-in",
		mPINFor:                "Logging in",
		mPINWho:                "Who is logging in?",
		mPINHint:               "Enter your PIN (%d–%d digits)",
		mPINChecking:           "Checking the PIN …",
		mPINErase:              "Erase",
		mPINOK:                 "OK",
		mPINCancel:             "Cancel",
		mPINWrong:              "Wrong PIN.",
		mPINWrongArg:           "Wrong PIN. %s tries left.",
		mStaffTitle:            "Staff: %s (%s)",
		mLogout:                "Log out",
		mStaffNotForRole:       "Not allowed for your role.",
		mStaffNotForRoleArg:    "Not allowed for your role: %s.",
		mStaffNotNow:           "Not possible now.",
		mStaffNotNowArg:        "Not possible now: %s.",
		mStaffFailed:           "That did not work. Try again.",
		mStaffFailedArg:        "That did not work: %s.",
		mStaffNoSession:        "You are logged out. Scan your staff badge again.",
		mStaffLater:            "Comes later",
		mStaffWorking:          "Doing: %s …",
		mStaffChoose:           "Choose an action",
		mStaffBack:             "Back",
		mStaffLine:             "%d × %s",
		mStaffPickLine:         "Choose the item to remove",
		mStaffCompartment:      "Compartment %d",
		mStaffNoCompartments:   "The cabinet has no compartments.",
		mStaffPickCompartment:  "Choose the compartment to open",
		mStaffPickReason:       "Choose the reason",
		mStaffSale:             "The customer's sale",
		mStaffNoSale:           "No sale under way.",
		mStaffSaleLine:         "%s – %s, %s",
		mStaffHelpOpen:         "The customer asked for help at %s.",
		mStaffDevices:          "Devices",
		mStaffDeviceOK:         "%s: OK",
		mStaffDeviceFault:      "%s: fault",
		mStaffLocked:           "locked",
		mStaffUnlocked:         "unlocked",
		mStaffDoorOpen:         "door open",
		mStaffDoorClosed:       "door closed",
		mStaffCompartmentState: "Compartment %d: %s, %s",
		mStaffNoDevices:        "No status from the devices.",
		mStaffQueue:            "Waiting for staff",
		mStaffCall:             "%s · %s · %s",
		mStaffThisKiosk:        "this kiosk",
		mStaffQueueEmpty:       "Nobody is waiting.",
		mStaffToday:            "Today",
		mStaffSales:            "Sales",
		mStaffAgeApproved:      "Age approved",
		mStaffAgeRefused:       "Age refused",
		mStaffOverrides:        "Overrides",
		mStaffCancelled:        "Cancelled baskets",

		mOvApproveAge:      "Approve age",
		mOvRefuseAge:       "Refuse age",
		mOvVoidLine:        "Remove item",
		mOvCancelSale:      "Cancel the sale",
		mOvResumeSale:      "Resume the sale",
		mOvCompleteSale:    "Complete the sale",
		mOvOpenCompartment: "Open compartment",
		mOvClearFault:      "Fault fixed",
		mOvXReport:         "X report",
		mOvZReport:         "Z report",
		mOvCopyReceipt:     "Copy receipt",
		mOvReturn:          "Return",
		mOvReceiveStock:    "Receive stock",
		mOvTrainingMode:    "Training mode",

		mReasonIDChecked:      "ID checked",
		mReasonNoValidID:      "No valid ID",
		mReasonCustomerAsked:  "The customer asked",
		mReasonWrongItem:      "Wrong item",
		mReasonPaymentProblem: "Payment problem",
		mReasonDeviceFault:    "Device fault",
		mReasonRestock:        "Restocking",
		mReasonRepaired:       "Repaired",
		mReasonOther:          "Other",
		mReasonEndOfDay:       "End of day",

		mRoleClerk:      "clerk",
		mRoleSupervisor: "supervisor",
		mRoleTechnician: "technician",

		mStateIdle:           "Idle",
		mStateShopping:       "Shopping",
		mStateTimeoutWarning: "Asking if the customer is still there",
		mStateAgeCheck:       "Waiting for the age check",
		mStatePaying:         "Paying",
		mStateDeclined:       "Card declined",
		mStateReleasing:      "Taking goods from the cabinet",
		mStateReceipt:        "Receipt",
		mStateAssistance:     "Needs staff",
		mStateOutOfOrder:     "Out of order",

		mDevScanner:       "Scanner",
		mDevPrinter:       "Receipt printer",
		mDevTerminal:      "Payment terminal",
		mDevTerminalSetup: "Payment terminal setup",
		mDevCabinet:       "Tobacco cabinet",
		mDevLight:         "Intervention light",
		mDetailFailed:     "failed",
		mDetailPaperLow:   "paper low",
		mDetailForced:     "forced open",

		mCallHelp:       "The customer asks for help",
		mCallAgeCheck:   "Age check",
		mCallSale:       "The sale needs staff",
		mCallDoorForced: "Cabinet forced open",
		mCallDoorOpen:   "Cabinet door left open",
		mCallOutOfOrder: "Out of order",
	},
}

func init() { addTexts(staffTexts) }
