"""The pages of surveys: workspace (inside a place: waves, questions, results, poster) and public
(the answer page the poster's QR code opens). URLs: surveys/urls/."""
