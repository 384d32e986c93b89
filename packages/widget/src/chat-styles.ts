// The chat panel's look: calm colours from the page's light or dark preference, the system font, 44px targets,
// visible focus, and no motion for visitors who ask for none. Every rule is scoped to the widget's own classes,
// inside its shadow root, so it neither leaks onto the customer's page nor catches the page's rules.

export const CHAT_CSS = `:host{--pw-bg:#fff;--pw-fg:#1d2733;--pw-muted:#566271;--pw-line:#dbe1e8;--pw-soft:#eff3f7;--pw-accent:#2a5d9f;--pw-accent-hover:#234f88;--pw-on-accent:#fff;--pw-danger:#b42318;--pw-focus:#1b3f6e;--pw-shadow:0 16px 48px rgba(16,24,40,.2),0 2px 8px rgba(16,24,40,.08)}
@media (prefers-color-scheme:dark){:host{--pw-bg:#171b21;--pw-fg:#e8ecf1;--pw-muted:#a3aebb;--pw-line:#2e3641;--pw-soft:#232a33;--pw-accent:#8cb8f0;--pw-accent-hover:#a5c8f4;--pw-on-accent:#0d1b2c;--pw-danger:#ff8f85;--pw-focus:#a9cbf5;--pw-shadow:0 16px 48px rgba(0,0,0,.5)}}
[hidden]{display:none!important}
.launcher .x{display:none}
.launcher[aria-expanded=true] .x{display:block}
.launcher[aria-expanded=true] svg:not(.x),.launcher[aria-expanded=true] span:not(.badge){display:none}
.launcher[aria-expanded=true]{padding:0}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#c0362c;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}
.panel{position:fixed;right:20px;bottom:92px;z-index:2147483001;width:380px;max-width:calc(100vw - 40px);height:640px;max-height:calc(100vh - 112px);display:flex;flex-direction:column;box-sizing:border-box;overflow:hidden;background:var(--pw-bg);color:var(--pw-fg);border:1px solid var(--pw-line);border-radius:16px;box-shadow:var(--pw-shadow);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji";text-align:left;animation:pw-in .18s ease-out;color-scheme:light dark}
:host([data-position=left]) .panel,:host([data-position=left]) .toast{left:20px;right:auto}
@keyframes pw-in{from{opacity:0;transform:translateY(12px)}}
@media (max-width:480px),(max-height:520px){.panel,:host([data-position=left]) .panel{top:0;left:0;right:0;bottom:0;width:auto;height:auto;max-width:none;max-height:none;border:0;border-radius:0}}
@media (prefers-reduced-motion:reduce){.panel{animation:none}.panel *{transition:none!important}}
.panel *{box-sizing:border-box}
.panel :focus-visible{outline:3px solid var(--pw-focus);outline-offset:2px}
.panel button{font:inherit;color:inherit;background:none;border:0;margin:0;cursor:pointer;min-height:44px;min-width:44px;border-radius:10px}
.panel button:disabled{cursor:default;opacity:.6}
.panel h2,.panel h3,.panel p{margin:0}
.head{display:flex;align-items:center;gap:8px;padding:10px 8px 10px 16px;border-bottom:1px solid var(--pw-line)}
.who{flex:1;min-width:0}
.title{font-size:16px;font-weight:650;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status{font-size:13px;color:var(--pw-muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status.alert{color:var(--pw-danger)}
.panel .end{font-size:13px;padding:0 10px;color:var(--pw-muted);border:1px solid var(--pw-line)}
.panel .icon{display:grid;place-items:center;padding:0}
.panel svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.panel .icon:hover,.panel .end:hover{background:var(--pw-soft)}
.notice:empty{display:none}
.panel .notice{margin:8px 12px 0;padding:8px 12px;border-radius:10px;background:var(--pw-soft);font-size:14px}
.chat{flex:1;min-height:0;display:flex;flex-direction:column}
.log{flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:16px;display:flex;flex-direction:column;gap:6px}
.log:focus-visible{outline-offset:-3px}
.hint{align-self:center;color:var(--pw-muted);text-align:center;padding:24px 8px}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.msg .text{padding:8px 12px;border-radius:16px 16px 16px 4px;background:var(--pw-soft);white-space:pre-wrap;overflow-wrap:anywhere}
.msg .text a,.msg .file{color:inherit;text-decoration:underline}
.msg .file{display:block}
.msg img{display:block;max-width:100%;max-height:240px;width:auto;height:auto;border-radius:10px}
.msg .file:has(img){padding:4px}
.size{margin-left:8px;font-size:12px;opacity:.8}
.msg.visitor{align-self:flex-end;align-items:flex-end}
.msg.visitor .text{background:var(--pw-accent);color:var(--pw-on-accent);border-radius:16px 16px 4px 16px}
.msg.system{align-self:center;align-items:center;text-align:center}
.msg.system .text{background:none;color:var(--pw-muted);font-size:13px;padding:4px 8px}
.msg.pending .text{opacity:.7}
.msg.failed .text{opacity:.7;box-shadow:0 0 0 2px var(--pw-danger)}
.msg .name{font-size:12px;color:var(--pw-muted);margin:6px 0 2px 4px}
.meta{display:flex;align-items:center;gap:6px;font-size:12px;color:var(--pw-muted);margin:2px 4px 0}
.msg.failed .meta{color:var(--pw-danger)}
.panel .retry{min-height:32px;padding:0 8px;text-decoration:underline;color:inherit}
.rate{align-self:stretch;margin-top:12px;padding:12px;border-radius:12px;background:var(--pw-soft);text-align:center}
.stars{display:flex;justify-content:center;gap:2px;margin-top:4px}
.panel .star{font-size:26px;line-height:1;color:var(--pw-muted)}
.stars:hover .star,.stars:focus-within .star{color:var(--pw-accent)}
.stars .star:hover~.star,.stars .star:focus~.star{color:var(--pw-muted)}
.composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--pw-line)}
.panel textarea,.panel input{width:100%;min-height:44px;margin:0;padding:10px 12px;font:inherit;font-size:16px;color:inherit;background:var(--pw-bg);border:1px solid var(--pw-line);border-radius:12px}
.panel textarea{resize:none;max-height:140px}
.panel textarea:focus-visible,.panel input:focus-visible{outline-offset:0;border-color:var(--pw-focus)}
.panel ::placeholder{color:var(--pw-muted);opacity:1}
.panel .send,.panel .primary{background:var(--pw-accent);color:var(--pw-on-accent)}
.panel .send{border-radius:50%;display:grid;place-items:center;padding:0;flex:none}
.panel .send:hover,.panel .primary:hover{background:var(--pw-accent-hover)}
.panel .primary,.panel .secondary,.panel .danger{padding:0 16px;font-weight:600}
.panel .secondary{border:1px solid var(--pw-line)}
.panel .danger{background:var(--pw-danger);color:var(--pw-bg)}
.alt{flex:1;min-height:0;overflow-y:auto;padding:20px 16px;display:flex;flex-direction:column;gap:14px}
.alt h3{font-size:17px}
.stack{display:flex;flex-direction:column;gap:14px}
.field{display:flex;flex-direction:column;gap:4px}
.field label{font-size:14px;font-weight:600}
.opt{font-weight:400;color:var(--pw-muted)}
.error{font-size:13px;color:var(--pw-danger)}
.actions{display:flex;flex-wrap:wrap;gap:8px}
.transcript{display:flex;flex-wrap:wrap;gap:8px;padding:10px 12px;border-top:1px solid var(--pw-line)}
.transcript .field{flex:1 1 100%}
.foot{display:flex;flex-wrap:wrap;justify-content:center;column-gap:4px;padding:0 8px;border-top:1px solid var(--pw-line);font-size:13px}
.panel .foot button,.foot a{display:inline-flex;align-items:center;min-height:44px;padding:0 6px;color:var(--pw-muted);text-decoration:underline;text-underline-offset:2px;border-radius:6px}
.foot a:focus-visible{outline:3px solid var(--pw-focus);outline-offset:-2px}
.toast{box-sizing:border-box;margin:0;position:fixed;right:20px;bottom:20px;z-index:2147483001;max-width:calc(100vw - 40px);padding:12px 16px;border-radius:12px;background:#1d2733;color:#fff;font:14px/1.4 system-ui,sans-serif;box-shadow:0 4px 14px rgba(16,24,40,.28)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;
