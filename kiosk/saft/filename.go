package saft

import (
	"fmt"
	"time"
)

// FilePrefix begins every SAF-T Cash Register file name.
const FilePrefix = "SAF-T Cash Register"

// FileName is the name Skatteetaten's SAF-T Cash Register documentation
// ("Naming of the SAF-T data file") gives an export:
//
//	SAF-T Cash Register_<organisation number>_<YYYYMMDDhhmmss>_<part>_<parts>.xml
//
// with the time the file was created and, for an export split into several
// files, the file's number and how many there are (1 and 1 for one file).
// The official example (ExampleFile SAF-T Cash
// Register_999999999_20210330104000.xml) leaves the part numbers out.
// created is written as it is; Doc.FileName writes it in the file's zone.
func FileName(org string, created time.Time, part, parts int) (string, error) {
	n, err := orgNo(org)
	if err != nil {
		return "", fmt.Errorf("%w: file name: %v", ErrInvalid, err)
	}
	if created.IsZero() {
		return "", fmt.Errorf("%w: file name: no creation time", ErrInvalid)
	}
	if parts < 1 || part < 1 || part > parts {
		return "", fmt.Errorf("%w: file name: part %d of %d", ErrInvalid, part, parts)
	}
	return fmt.Sprintf("%s_%s_%s_%d_%d.xml", FilePrefix, n, created.Format("20060102150405"), part, parts), nil
}

// FileName is FileName for d: its company's organisation number and its
// header's creation time in d's zone, so that the name and dateCreated,
// timeCreated agree.
func (d *Doc) FileName(part, parts int) (string, error) {
	zone, err := d.zone()
	if err != nil {
		return "", err
	}
	return FileName(d.Company.OrgNo, d.Header.Created.In(zone), part, parts)
}
