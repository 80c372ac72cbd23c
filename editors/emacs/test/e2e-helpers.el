;;; e2e-helpers.el --- Shared by the Emacs end-to-end tests  -*- lexical-binding: t; -*-

;;; Commentary:

;; The checks' plumbing for eglot.el and lsp-mode.el: named checks that count and
;; report, waiting on the server, the test environment, and the assertions both
;; clients must meet on the same spec (see editors/test/make-workspace.sh).
;; Environment: TROVE_SPEC_LSP (binary), SPEC (the spec to open), ROOT (its
;; repository), EMACS_PACKAGE_DIR (editors/emacs).

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'trove-spec-lsp)

(defvar e2e-suite "emacs" "Name of the running suite, in its closing line.")
(defvar e2e-passed 0)
(defvar e2e-failed 0)
(defvar e2e-finished nil)
(defvar e2e-stderr-function #'ignore
  "Returns the end of the server's stderr, for failure messages.")
(defconst e2e-wait 10 "Seconds to wait for the server.")

(defun e2e-out (format-string &rest args)
  (princ (concat (apply #'format format-string args) "\n")))

(defmacro e2e-check (name &rest body)
  "Run BODY as the check NAME: an error fails it, with its message."
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (cl-incf e2e-passed)
              (e2e-out "ok - %s" ,name))
     (error (cl-incf e2e-failed)
            (e2e-out "not ok - %s\n  %s" ,name (error-message-string err)))))

(defun e2e-finish ()
  "Print the closing line and exit, non-zero if a check failed."
  (e2e-out "%s: %d passed, %d failed" e2e-suite e2e-passed e2e-failed)
  (setq e2e-finished t)
  (kill-emacs (if (> e2e-failed 0) 1 0)))

;; In batch mode an error in a process sentinel (a client's "server died" when the
;; server crashes) ends Emacs at once: say what happened on the way out.
(add-hook 'kill-emacs-hook
          (lambda ()
            (unless e2e-finished
              (e2e-out "not ok - the test was cut short (the server died?); server stderr:\n%s"
                       (funcall e2e-stderr-function))
              (e2e-out "%s: %d passed, %d failed" e2e-suite e2e-passed (1+ e2e-failed)))))

(defun e2e-buffers-tail (regexp)
  "The last characters of every buffer whose name matches REGEXP."
  (mapconcat (lambda (buffer)
               (with-current-buffer buffer
                 (buffer-substring (max (point-min) (- (point-max) 1500)) (point-max))))
             (cl-remove-if-not (lambda (b) (string-match-p regexp (buffer-name b)))
                               (buffer-list))
             "\n"))

(defmacro e2e-with-stderr (&rest body)
  "Run BODY; an error in it gets the end of the server's stderr added."
  `(condition-case err (progn ,@body)
     (error (error "%s; server stderr:\n%s"
                   (error-message-string err) (funcall e2e-stderr-function)))))

(defun e2e-wait-for (what predicate)
  "Process events until PREDICATE holds, or fail naming WHAT."
  (let ((deadline (+ (float-time) e2e-wait)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall predicate)
      (error "Timed out after %ss waiting for %s" e2e-wait what))))

(defun e2e-env (name)
  (let ((value (getenv name)))
    (unless (and value (not (string-empty-p value)))
      (error "%s is not set" name))
    value))

(defun e2e-goto-line-text (text)
  "Move to the start of the line that reads TEXT exactly."
  (goto-char (point-min))
  (unless (re-search-forward (concat "^" (regexp-quote text) "$") nil t)
    (error "No line %S in the buffer" text))
  (beginning-of-line))

(defun e2e-check-byte-compile ()
  "The project's trove-spec-lsp.el is the one loaded, and compiles without a warning."
  (e2e-check "trove-spec-lsp.el byte-compiles without a warning"
    (let* ((source (locate-library "trove-spec-lsp.el"))
           (byte-compile-dest-file-function
            (lambda (_) (expand-file-name "trove-spec-lsp.elc" (e2e-env "ROOT"))))
           (byte-compile-error-on-warn t))
      (unless (equal source (expand-file-name "trove-spec-lsp.el" (e2e-env "EMACS_PACKAGE_DIR")))
        (error "Loaded %s, not the project's file" source))
      (unless (byte-compile-file source)
        (error "Byte-compiling %s failed" source)))))

(defun e2e-root ()
  "The test repository's root, as a directory name."
  (file-name-as-directory (file-truename (e2e-env "ROOT"))))

(defun e2e-open-spec ()
  "Check the package, set up as a user would, and visit the spec.
The user's setup: the binary under test and one setting."
  (e2e-check-byte-compile)
  (setq trove-spec-lsp-executable (e2e-env "TROVE_SPEC_LSP")
        trove-spec-lsp-severity '(("trailing-whitespace" . "warning")))
  (find-file (e2e-env "SPEC"))
  (unless (eq major-mode 'rst-mode)
    (error "Major mode %s for %s, not rst-mode" major-mode buffer-file-name)))

(defun e2e-diagnostic (start code severity text)
  "A diagnostic as the checks see it: (LINE CODE SEVERITY TEXT COLUMN), from its START
position in the buffer; COLUMN counts characters from the line's start."
  (save-excursion
    (goto-char start)
    (list (line-number-at-pos) code severity text (- start (line-beginning-position)))))

(defun e2e-summary (diagnostics)
  (mapconcat (lambda (d) (format "%d:%s" (nth 0 d) (nth 1 d))) diagnostics " "))

(defun e2e-check-diagnostics (diagnostics-function)
  "Check the findings on the test spec; DIAGNOSTICS-FUNCTION returns the client's
diagnostics from trove-spec-lsp (see `e2e-diagnostic'), SEVERITY `error', `warning'
or `info', for the code given as its argument, or all for nil."
  (e2e-check "diagnostics: codes and lines"
    (e2e-wait-for "missing-section and trailing-whitespace diagnostics"
                  (lambda () (and (funcall diagnostics-function "missing-section")
                                  (funcall diagnostics-function "trailing-whitespace"))))
    (let ((all (funcall diagnostics-function nil))
          (missing (funcall diagnostics-function "missing-section"))
          (trailing (funcall diagnostics-function "trailing-whitespace")))
      (unless (= (length missing) 1) (error "One missing section: %s" (e2e-summary all)))
      (unless (string-match-p "Dependencies" (nth 3 (car missing)))
        (error "Does not name Dependencies: %s" (nth 3 (car missing))))
      (unless (= (car (car missing))
                 (save-excursion (e2e-goto-line-text "Testing") (line-number-at-pos)))
        (error "missing-section not at the heading it belongs before: %s" (e2e-summary all)))
      (unless (eq (nth 2 (car missing)) 'error)
        (error "missing-section is %s, not an error" (nth 2 (car missing))))
      (unless (equal (mapcar #'car trailing) '(40 44))
        (error "trailing-whitespace on lines 40 and 44: %s" (e2e-summary all)))
      (dolist (d trailing)
        ;; Line 44 has multi-byte text (and a character beyond UTF-16's BMP) before
        ;; its spaces: the column must still land right after the text.
        (let ((text (save-excursion
                      (goto-char (point-min))
                      (forward-line (1- (car d)))
                      (string-trim-right (buffer-substring (point) (line-end-position))))))
          (unless (= (nth 4 d) (length text))
            (error "trailing-whitespace on line %d starts at column %d, not %d"
                   (car d) (nth 4 d) (length text))))
        (unless (eq (nth 2 d) 'warning)
          (error "trailing-whitespace is %s, not the warning set in `trove-spec-lsp-severity'"
                 (nth 2 d)))))))

(defun e2e-check-hover-contents (contents)
  "CONTENTS (a MarkupContent as a plist or hash table) holds the guidance for
\"Problem Description\"."
  (let ((kind (if (hash-table-p contents) (gethash "kind" contents) (plist-get contents :kind)))
        (value (if (hash-table-p contents) (gethash "value" contents) (plist-get contents :value))))
    (unless (equal kind "markdown")
      (error "Hover contents %S" contents))
    (unless (string-match-p (regexp-quote "A detailed description of the problem.") value)
      (error "No guidance in %S" value))))

(defun e2e-check-completion (client capf)
  "Check that CLIENT's completion-at-point function CAPF, at the start of the blank
line before \"Testing\", offers the missing heading and not a present one."
  (e2e-check (format "completion at the start of a line, through %s's completion-at-point"
                     client)
    (e2e-goto-line-text "Testing")
    (forward-line -1)
    ;; a candidate's first line: lsp-mode's candidates are the headings as inserted
    (let ((candidates (mapcar (lambda (c) (car (split-string c "\n")))
                              (all-completions "" (nth 2 (funcall capf))))))
      (unless (member "Dependencies" candidates)
        (error "Dependencies not among %S" candidates))
      (when (member "Testing" candidates)
        (error "A present heading is offered: %S" candidates)))))

(defun e2e-complete-at-point (capf)
  "Complete with CAPF as `completion-at-point' does."
  (let ((completion-at-point-functions (list capf)))
    (completion-at-point)))

(defun e2e-complete-as-company (capf)
  "Complete with CAPF as company-mode's `company-capf' does: take the first candidate
\(with the text properties the client put on it), put it in place of what was typed,
and call the exit function with it."
  (pcase-let* ((`(,start ,end ,table . ,props) (funcall capf))
               (candidate (car (all-completions (buffer-substring start end) table))))
    (unless candidate (error "No candidate"))
    (delete-region start end)
    (goto-char start)
    (insert candidate)
    (funcall (plist-get props :exit-function) candidate 'finished)))

;; Both checks below: on the blank line before "Testing", type, complete, check what
;; was inserted, and put the text back.
(defun e2e--type-and-complete (typed capf accept sync lines pattern)
  "Insert TYPED on the blank line before \"Testing\", tell the client (SYNC) and
complete with CAPF the way ACCEPT does; the LINES lines from \"Dependencies\" must
match PATTERN."
  (e2e-goto-line-text "Testing")
  (forward-line -1)
  (insert typed)
  (funcall sync)
  (funcall accept capf)
  (e2e-goto-line-text "Dependencies")
  (let ((got (buffer-substring (point) (save-excursion (forward-line lines) (point)))))
    (unless (string-match-p pattern got)
      (error "Inserted %S" got))))

(defun e2e--put-back (before sync diagnostics-function)
  "Put the text BEFORE back; DIAGNOSTICS-FUNCTION must show the one finding of that
text again (not one for a text in between)."
  (erase-buffer)
  (insert before)
  (e2e-wait-for "the missing section's finding back"
                (lambda ()
                  (funcall sync)
                  (let ((missing (funcall diagnostics-function "missing-section")))
                    (and (= (length missing) 1)
                         (string-match-p "Dependencies" (nth 3 (car missing))))))))

(defun e2e-check-completion-inserts (client capf accept sync diagnostics-function)
  "Type \"Dep\" on the blank line before \"Testing\" and complete with CLIENT's CAPF
the way ACCEPT does (`e2e-complete-at-point', `e2e-complete-as-company'): the
heading and its underline must be what is INSERTED, with the text after it kept.
SYNC tells the client about the edits; the text is put back after the check, and
DIAGNOSTICS-FUNCTION must show its finding again."
  (e2e-check (format "accepting a completion (%s) inserts the heading and its underline"
                     client)
    (let ((before (buffer-string)))
      (unwind-protect
          (progn
            (e2e--type-and-complete "Dep" capf accept sync 6
                                    "\\`Dependencies\n============\n\n+Testing\n")
            (e2e-wait-for "the inserted section's finding to go"
                          (lambda ()
                            (funcall sync)
                            (null (funcall diagnostics-function "missing-section")))))
        (e2e--put-back before sync diagnostics-function)))))

(defun e2e-check-underline-inserts (client capf accept sync diagnostics-function)
  "On the blank line before \"Testing\", type the missing heading's title
\"Dependencies\", a line break and \"==\", and complete with CLIENT's CAPF the way
ACCEPT does: the underline must be what is INSERTED, as long as the title, in place
of the typed \"==\" (not after it). SYNC tells the client about the edits; the text
is put back after the check, and DIAGNOSTICS-FUNCTION must show its finding again."
  (e2e-check (format "completing an underline (%s) replaces what was typed" client)
    (let ((before (buffer-string)))
      (unwind-protect
          (e2e--type-and-complete "Dependencies\n==" capf accept sync 3
                                  "\\`Dependencies\n============\n\n?Testing\n")
        (e2e--put-back before sync diagnostics-function)))))

(defun e2e-check-completion-restyles-title (client capf accept sync diagnostics-function)
  "In place of the spec, a title underlined only (the template's has an overline too)
and \"Probl\" typed under it: DIAGNOSTICS-FUNCTION must show its `title-style' warning,
and accepting the completion with CLIENT's CAPF the way ACCEPT does must insert
\"Problem Description\" underlined like the template's sections AND give the title
its overline (an additional edit), so that the title is not taken for a section.
SYNC tells the client about the edits; the spec is put back after the check."
  (e2e-check (format "a heading completed under a title in the wrong style (%s) restyles the title"
                     client)
    (let ((before (buffer-string)))
      (unwind-protect
          (progn
            (erase-buffer)
            (insert "Faster Backups\n==============\n\nProbl")
            (e2e-wait-for "the title-style warning"
                          (lambda () (funcall sync) (funcall diagnostics-function "title-style")))
            (funcall accept capf)
            (let ((got (buffer-string)))
              (unless (string-match-p "\\`==============\nFaster Backups\n==============\n\nProblem Description\n===================\n" got)
                (error "The buffer holds %S" got))))
        (e2e--put-back before sync diagnostics-function)))))

(defun e2e-check-fixed (diagnostics-function)
  "After the quick fix: the heading is in, underlined; its finding goes, the other stays."
  (e2e-goto-line-text "Dependencies")
  (forward-line 1)
  (unless (looking-at "============$") (error "Not underlined"))
  (e2e-wait-for "missing-section to go"
                (lambda () (null (funcall diagnostics-function "missing-section"))))
  (unless (funcall diagnostics-function "trailing-whitespace")
    (error "The other finding went too: %s" (e2e-summary (funcall diagnostics-function nil)))))

(defun e2e-check-template-reload (diagnostics-function)
  "Another process appends a section to the template on disk (as a git checkout
would): with no keystroke in Emacs, the spec gets a `missing-section' for it."
  (e2e-check "a template changed on disk by another process: the findings follow"
    (let ((template (expand-file-name "specs/template.rst" (e2e-root))))
      (unless (zerop (call-process "sh" nil nil nil "-c"
                                   "printf '\\nReload Check\\n============\\n\\nSay it.\\n' >> \"$1\""
                                   "sh" template))
        (error "Could not append to %s" template))
      (e2e-wait-for "a missing-section for the template's new section"
                    (lambda ()
                      ;; file-notify events are special input events: in batch mode
                      ;; only `read-event' handles them (the command loop does otherwise)
                      (read-event nil nil 0.01)
                      (cl-some (lambda (d) (string-match-p "Reload Check" (nth 3 d)))
                               (funcall diagnostics-function "missing-section")))))))

(provide 'e2e-helpers)
;;; e2e-helpers.el ends here
