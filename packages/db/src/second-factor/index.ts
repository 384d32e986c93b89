export * from './enrolment.ts';
export * from './qr-code.ts';
export * from './recovery-codes.ts';
export * from './second-factors.ts';
export * from './secret-box.ts';
export * from './totp.ts';
