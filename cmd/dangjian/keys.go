package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/store"
)

// keysCommand manages field encryption: generate prints a new key file (or,
// with --next, the line of the next data key to add to one); rotate seals
// every stored value under the newest key, in short batches, while the
// service runs.
func keysCommand(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("keys: say generate or rotate")
	}
	cfg, fs, err := flags("keys "+args[0], nil, false)
	if err != nil {
		return err
	}
	next := fs.Bool("next", false, "generate: print only the next data key for the configured key file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	random := func(n int) string {
		b := make([]byte, n)
		rand.Read(b)
		return hex.EncodeToString(b)
	}
	switch args[0] {
	case "generate":
		if !*next {
			fmt.Fprintf(stdout, "# 政法党建云平台 field-encryption keys. Keep a copy offline: without it the data cannot be read.\nindex=%s\nkey.1=%s\n", random(32), random(16))
			return nil
		}
		keys, err := app.DataKeys(*cfg)
		if err != nil || keys == nil {
			return errors.New("--next needs the current key file (--data-key-file)")
		}
		fmt.Fprintf(stdout, "key.%d=%s\n", keys.Current()+1, random(16))
		return nil
	case "rotate":
		keys, err := app.DataKeys(*cfg)
		if err != nil {
			return err
		}
		if keys == nil {
			return errors.New("rotate needs --data-key-file")
		}
		st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Keys: keys})
		if err != nil {
			return err
		}
		defer st.Close()
		n, err := st.Reseal(ctx, audit.Actor{Username: "console:" + os.Getenv("USER"), IP: "local"}, false, func(done int) {
			fmt.Fprintf(stdout, "\r已重新加密 %d 人", done)
		})
		fmt.Fprintln(stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "完成：%d 人的证件号码和电话已用第 %d 号密钥加密\n", n, keys.Current())
		return nil
	}
	return fmt.Errorf("keys: unknown action %q", args[0])
}
