;;; gostatic.el --- gostatic findings in Emacs (eglot or flymake) -*- lexical-binding: t -*-

;;; Option A: eglot. Eglot runs ONE server per major mode and project, so choosing gostatic here
;;; replaces gopls in that buffer (no completion or navigation from gopls). Use it for a review
;;; session, or prefer option B to keep gopls in eglot.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((go-mode go-ts-mode) . ("gostatic" "lsp"
                                         :initializationOptions (:gostatic (:debounceMs 250))))))
;; then M-x eglot in a Go buffer (and pick gostatic if gopls is also configured)

;;; Option B: flymake backend running `gostatic check --format json` on save; keeps gopls in eglot.
(require 'json)
(require 'flymake)

(defvar-local gostatic--flymake-proc nil)

(defun gostatic-flymake (report-fn &rest _args)
  "Flymake backend: report `gostatic check' findings for the saved file."
  (when (process-live-p gostatic--flymake-proc)
    (kill-process gostatic--flymake-proc))
  (let* ((source (current-buffer))
         (file (buffer-file-name)))
    (when file
      (setq gostatic--flymake-proc
            (make-process
             :name "gostatic-flymake" :noquery t :connection-type 'pipe
             :buffer (generate-new-buffer " *gostatic-flymake*")
             :command (list "gostatic" "check" "--format" "json" "--exit-zero" file)
             :sentinel
             (lambda (proc _event)
               (when (memq (process-status proc) '(exit signal))
                 (unwind-protect
                     (when (and (buffer-live-p source)
                                (eq proc (buffer-local-value 'gostatic--flymake-proc source)))
                       (with-current-buffer (process-buffer proc)
                         (goto-char (point-min))
                         (let ((findings (ignore-errors (json-parse-buffer :object-type 'alist))))
                           (funcall
                            report-fn
                            (mapcar
                             (lambda (f)
                               (with-current-buffer source
                                 (let* ((beg (flymake-diag-region source (alist-get 'line f)
                                                                  (1- (alist-get 'column f))))
                                        (sev (alist-get 'severity f)))
                                   (flymake-make-diagnostic
                                    source (car beg) (cdr beg)
                                    (pcase sev ("error" :error) ("warning" :warning) (_ :note))
                                    (format "%s: %s" (alist-get 'code f) (alist-get 'message f))))))
                             (append findings nil))))))
                   (kill-buffer (process-buffer proc))))))))))

(defun gostatic-flymake-setup ()
  (add-hook 'flymake-diagnostic-functions #'gostatic-flymake nil t)
  (flymake-mode 1))

(add-hook 'go-mode-hook #'gostatic-flymake-setup)
(add-hook 'go-ts-mode-hook #'gostatic-flymake-setup)

(provide 'gostatic)
;;; gostatic.el ends here
