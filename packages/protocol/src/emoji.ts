/**
 * The emoji the widget's composer and the dashboard's reply box offer in their palette: the faces, hands and signs
 * a support chat uses most, few enough to be a small grid of buttons. Kept apart from the frame schemas so that
 * both browser bundles can import it without zod.
 */
export const EMOJI_PALETTE: readonly string[] =
  '😀 😂 😊 😍 🤔 😅 😢 😮 👍 👎 👏 🙏 👋 🙌 💪 ❤️ 🎉 ✅ ❌ ⭐ 🔥 💡 📦 ☕'.split(' ');
