// Package zvt speaks ZVT, the German-born ECR↔payment-terminal protocol,
// from the cash register's (ECR's) side, and implements kiosk.PaymentTerminal
// for a vending-machine terminal.
//
// Layers, bottom up:
//
//   - Redialer (redial.go): a TCP stream that dials again, with back-off,
//     when the terminal's connection is lost; the Terminal registers
//     again before its next command.
//   - Link (transport.go): one APDU at a time over an io.ReadWriter.
//     SerialLink frames APDUs as DLE STX … DLE ETX CRC with ACK/NAK and
//     retransmission (PA00P016 rev 04 "transport" §3); TCPLink sends them
//     bare (§4). Neither opens a port or a socket: the caller passes the
//     stream and closes it (closing the stream is what unblocks a Read).
//   - APDU, BMP and TLV codecs (apdu.go, bmp.go, tlv.go): PA00P016 §5.2 and
//     PA00P015 rev 13.08 "ZVT 13.08" ch. 13 (BMPs) and ch. 9 (TLV).
//   - Commands (commands.go, texts.go): builders and parsers for the ECR's
//     commands and the terminal's answers, the intermediate-status texts
//     (ZVT 13.08 §3.7 table 17) and result codes (ch. 10) in Norwegian
//     bokmål and English.
//   - Terminal (ecr.go): the vending flow of ZVT 13.08 §2.2 as a
//     kiosk.PaymentTerminal.
//
// Imports: the standard library and selvkasse/kiosk only. The serial port
// (9600 8N2, see LineBaud) is opened by devices/serialport; this package
// never imports it, storage, app or other device packages.
//
// Card data: only the masked PAN, card name, AID, trace and receipt
// numbers, terminal id and time are kept (kiosk.PaymentResult). Track data
// (BMP 23, 24, 2D, 2E) is skipped when decoding, and any PAN-like run of
// 13–19 digits is masked before it is stored, returned or logged.
package zvt
