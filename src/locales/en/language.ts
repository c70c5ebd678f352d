/** Choosing the language the bot writes in: /language, and the buttons under the first message. */
export const language = {
  prompt: "Which language would you like me to write to you in?",
  chosen: "Thank you! From now on I will write to you in English.",
  onlyOne: "Here I can write to you in English only.",
  notOffered: "Sorry, that language is no longer available. Please choose one from the buttons.",
};
