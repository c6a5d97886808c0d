-- The seven categories of the original product.
INSERT INTO `categories` (`slug`, `name_fr`, `name_en`, `emoji`, `position`) VALUES
  ('finance-crypto', 'Finance & Crypto', 'Finance & Crypto', '💰', 1),
  ('marketing-digital', 'Marketing Digital', 'Digital Marketing', '📈', 2),
  ('developpement', 'Développement', 'Development', '💻', 3),
  ('design-creatif', 'Design & Créatif', 'Design & Creative', '🎨', 4),
  ('business', 'Business', 'Business', '📊', 5),
  ('formation-pro', 'Formation Pro', 'Professional Training', '🎓', 6),
  ('outils-tech', 'Outils & Tech', 'Tools & Tech', '🔧', 7);
